"""paused_gc keeps what it built to the exit (frozen) only in the console script's process;
available_cpus counts the CPUs a process may use."""

from __future__ import annotations

import gc

import pytest

from generator import perf
from generator.perf import paused_gc


def test_keep_to_exit_freezes_only_in_the_console_scripts_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    with paused_gc(keep_to_exit=True):
        kept = [{"a": [1]}]
    assert gc.isenabled() and gc.get_freeze_count() == frozen  # a test session goes on
    monkeypatch.setattr(perf._Process, "console_script", True)
    try:
        with paused_gc(keep_to_exit=True):
            kept.append({"b": [2]})
        assert gc.isenabled() and gc.get_freeze_count() > frozen
    finally:
        gc.unfreeze()


def test_available_cpus_are_those_this_process_may_run_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(perf.os, "sched_getaffinity", lambda pid: {0, 3}, raising=False)
    assert perf.available_cpus() == 2
    monkeypatch.delattr(perf.os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(perf.os, "cpu_count", lambda: None)
    assert perf.available_cpus() == 1
