"""Interleaved rounds and their medians: what makes a ratio hold on a shared, noisy machine.

Each round runs every contender once, in the same order, so a burst of load from elsewhere hits
all of them alike; a figure is the median over the rounds, shown with its spread (min-max).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

ROUNDS = 3


@dataclass(frozen=True)
class Figure:
    """One contender's values over the rounds."""

    values: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def spread(self, unit: str = "", digits: int = 2) -> str:
        low, high = min(self.values), max(self.values)
        return f"{self.median:.{digits}f}{unit} ({low:.{digits}f}-{high:.{digits}f})"


def interleave(
    contenders: Mapping[str, Callable[[], float]], rounds: int = ROUNDS
) -> dict[str, Figure]:
    """Run each contender once per round, in order, ``rounds`` times; their figures by label."""
    values: dict[str, list[float]] = {label: [] for label in contenders}
    for number in range(1, rounds + 1):
        for label, measure in contenders.items():
            values[label].append(measure())
            print(
                f"  round {number}/{rounds} {label}: {values[label][-1]:.2f}  ({load()})",
                flush=True,
            )
    return {label: Figure(tuple(found)) for label, found in values.items()}


def load() -> str:
    """The machine's load average, as `uptime` prints it: how shared the machine was."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


@dataclass(frozen=True)
class Run:
    wall_s: float
    cpu_s: float  # user + system time of the command and its children
    returncode: int
    stdout: bytes
    stderr: bytes


def timed_run(command: Sequence[str], **kwargs: object) -> Run:
    """Run a command to its end; its wall time and the CPU time it and its children used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603 - the benchmarks' own fixed commands
        list(command), capture_output=True, check=False, **kwargs
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall, cpu, result.returncode, result.stdout, result.stderr)
