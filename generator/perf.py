"""Process-level speed settings shared by the commands that build big object graphs."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside: work that builds a large, acyclic graph of dicts
    (a parsed contract, a docs view model) is otherwise traversed again at every collection,
    which makes big contracts superlinear. Reference counting still frees everything acyclic."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
