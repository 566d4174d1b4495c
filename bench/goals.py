"""The goals a bench checks, collected across benches so `make bench` ends with one table.

A bench calls ``record``; rows go to the file named by ``$BENCH_GOALS`` (set by run.py, one JSON
object a line) and are printed at the end of the bench when it runs on its own.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

ENV = "BENCH_GOALS"


@dataclass(frozen=True)
class Goal:
    bench: str
    goal: str
    figure: str
    met: bool


def record(bench: str, goal: str, figure: str, met: bool) -> Goal:
    found = Goal(bench, goal, figure, met)
    target = os.environ.get(ENV)
    if target:
        with Path(target).open("a", encoding="utf-8") as out:
            out.write(json.dumps(asdict(found)) + "\n")
    return found


def read(path: Path) -> list[Goal]:
    if not path.exists():
        return []
    return [Goal(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines()]


def table(goals: list[Goal]) -> str:
    if not goals:
        return "no goals were checked"
    bench_width = max([len("bench"), *(len(g.bench) for g in goals)]) + 2
    width = max(len(g.goal) for g in goals)
    figure_width = max([len("figure (by medians)"), *(len(g.figure) for g in goals)])
    figure = "figure (by medians)"
    lines = [f"{'bench':<{bench_width}}{'goal':<{width + 2}}{figure:<{figure_width + 2}}met"]
    lines.append("-" * len(lines[0]) + "----")
    for g in goals:
        verdict = "yes" if g.met else "NO"
        lines.append(
            f"{g.bench:<{bench_width}}{g.goal:<{width + 2}}{g.figure:<{figure_width + 2}}{verdict}"
        )
    met = sum(g.met for g in goals)
    lines.append(f"{met} of {len(goals)} goals met (by the medians of interleaved rounds)")
    return "\n".join(lines)


def print_own(goals: list[Goal]) -> None:
    """At the end of a bench run on its own (run.py prints every bench's goals together)."""
    if not os.environ.get(ENV):
        print()
        print(table(goals))
