"""Process-level speed settings shared by the commands that build big object graphs."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


class _Process:
    one_shot = False  # set by the console script: the process runs one command, then exits


def run_as_one_shot() -> None:
    """Mark this process as one that runs one command and exits (``usersapi``, a bench)."""
    _Process.one_shot = True


@contextmanager
def paused_gc(*, keep_to_exit: bool = False) -> Iterator[None]:
    """No cyclic garbage collection inside: work that builds a large, acyclic graph of dicts
    (a parsed contract, a docs view model) is otherwise traversed again at every collection,
    which makes big contracts superlinear. Reference counting still frees everything acyclic.

    ``keep_to_exit``, in a one-shot process: what is alive at the end is frozen (``gc.freeze``)
    instead of being traversed by the first collection after it (a fifth of a second for a
    5,000-operation diff): it is kept to the exit anyway. Only a one-shot process may: frozen
    objects are never collected, so any that later become cyclic garbage would stay for the
    life of a process that goes on (a test session)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if keep_to_exit and _Process.one_shot:
                gc.freeze()
            gc.enable()
