"""The CPU a process and everything it started use (Linux /proc): when a busy tree went idle.

`usersapi proxy` judges behind the forwarding, at a lower priority, so after a burst its judge
may still be busy: the proxy bench waits for the tree to go idle after each of its rounds, and
says how long that took, so the judging of one round never runs into the next contender's.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
IDLE_SHARE = 0.03  # of one core, over a window: what an idle proxy's polling threads use
WINDOW = 0.25  # seconds
# /proc counts CPU time in clock ticks (10 ms on Linux), coarser than IDLE_SHARE of a window:
# one tick in a window still counts as idle, or a poll landing on a tick would count as work.
IDLE_CPU_SECONDS = max(IDLE_SHARE * WINDOW, 1 / _TICKS)


def _descendants(pid: int) -> list[int]:
    found = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return found
    for child in children:
        found += _descendants(int(child))
    return found


def tree_cpu_seconds(pid: int) -> float:
    """User and system time of `pid` and of every living process below it."""
    total = 0
    for member in _descendants(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue  # ended meanwhile
        total += int(fields[11]) + int(fields[12])
    return total / _TICKS


def seconds_until_idle(pid: int, timeout: float = 600) -> float:
    """How long until the tree of `pid` uses no more than `IDLE_CPU_SECONDS` in a `WINDOW`
    (measured from now: the seconds its backlog took after the load stopped)."""
    started = time.monotonic()
    used = tree_cpu_seconds(pid)
    while time.monotonic() - started < timeout:
        time.sleep(WINDOW)
        now = tree_cpu_seconds(pid)
        if now - used <= IDLE_CPU_SECONDS:
            return max(0.0, time.monotonic() - started - WINDOW)
        used = now
    return timeout
