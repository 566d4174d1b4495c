"""Process-level speed settings shared by the commands that build big object graphs."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager


class _Process:
    console_script = False  # the `usersapi` process (or a bench): its command ends it


def mark_console_script() -> None:
    """Mark this process as the console script's (``usersapi``, or a bench run as one): it
    exits when its command ends, unlike a test session, which goes on to the next test.
    Long-running commands (serve, proxy) run in it too, so ``keep_to_exit`` belongs only to
    work that ends its command (the diff)."""
    _Process.console_script = True


@contextmanager
def paused_gc(*, keep_to_exit: bool = False) -> Iterator[None]:
    """No cyclic garbage collection inside: work that builds a large, acyclic graph of dicts
    (a parsed contract, a docs view model) is otherwise traversed again at every collection,
    which makes big contracts superlinear. Reference counting still frees everything acyclic.

    ``keep_to_exit``, for work that ends its command, in the console script's process: what is
    alive at the end is frozen (``gc.freeze``) instead of being traversed by the first
    collection after it (a fifth of a second for a 5,000-operation diff): it is kept to the
    exit anyway. Nowhere else: frozen objects are never collected, so any that later become
    cyclic garbage would stay for the life of a process that goes on (a test session, a
    server)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if keep_to_exit and _Process.console_script:
                gc.freeze()
            gc.enable()


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity, where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
