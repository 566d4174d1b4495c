"""The test helper runs a coroutine even where the calling thread has a loop running."""

from __future__ import annotations

import asyncio

import pytest
from event_loops import run_in_own_thread


async def _answer() -> int:
    await asyncio.sleep(0)
    return 42


async def _failing() -> None:
    raise ValueError("from the coroutine")


def test_runs_beside_a_running_loop() -> None:
    async def caller() -> int:
        # asyncio.run() here would raise: this thread's loop is running.
        return run_in_own_thread(_answer())

    # The caller's loop runs in a thread of its own too: the main thread of a test worker may
    # already have one running (Playwright's), which is the very case the helper is for.
    assert run_in_own_thread(caller()) == 42


def test_exception_reaches_the_caller() -> None:
    with pytest.raises(ValueError, match="from the coroutine"):
        run_in_own_thread(_failing())
