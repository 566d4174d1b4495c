"""Run a coroutine to completion from a synchronous test, whatever loop the thread already has.

Playwright's sync API (the browser tests' session-scoped fixtures) keeps an event loop running in
the main thread for the whole session, and under pytest-xdist any later test in that worker runs
beside it: ``asyncio.run`` there fails with "cannot be called from a running event loop". A thread
of its own has no loop, so the coroutine gets a fresh one there.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_in_own_thread(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(coroutine)`` in a new thread; its result, or its exception re-raised here."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="test-event-loop") as pool:
        return pool.submit(asyncio.run, coroutine).result()
