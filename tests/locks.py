"""One test worker at a time: a lock file under build/, for set-up that writes a shared folder.

Under pytest-xdist (`make test` runs two workers) two sessions may both find an npm tool missing
and install it into the same build/ folder; the second waits for the first and then finds it.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager

from generator.openapi.apis import build_dir


@contextmanager
def exclusive(name: str) -> Iterator[None]:
    """Hold the lock called ``name`` (blocking) while the block runs."""
    folder = build_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f".{name}.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
