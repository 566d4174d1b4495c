"""Validate and bundle: the real contracts, then synthetic ones of growing size against Redocly.

For each synthetic size, interleaved rounds run ``usersapi --contract DIR validate`` (everything it
checks: bundling, openapi-spec-validator, prance, lint) and ``redocly lint`` (its recommended rules)
on the same files, each as a whole command as a user runs it; the figures are the medians with
their spread, wall time and CPU time (CPU time is the steadier one on a shared machine).

Run: ``.venv/bin/python bench/bench_spec.py [--sizes 100,1000,5000] [--rounds 3]``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import goals  # noqa: E402
from node_tools import node_tool  # noqa: E402
from rounds import ROUNDS, Figure, Run, interleave, timed_run  # noqa: E402
from servers import BIN, end_on_sigterm  # noqa: E402
from synthetic import write_synthetic_spec  # noqa: E402

from generator.openapi.apis import API_NAMES, api_dir, api_root, build_dir  # noqa: E402
from generator.openapi.bundle import bundle_file  # noqa: E402
from generator.openapi.validate import validate_file  # noqa: E402

SIZES = (100, 1_000, 5_000)
GOAL_SIZE = 5_000
API = "cloud-elements"  # the synthetic contract stands in for this API's folder
USERSAPI = BIN / "usersapi"


def best_of(runs: int, action) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def _real_contracts() -> None:
    print(f"{'contract':<18}{'validate s':>12}{'bundle s':>10}  (in-process, best of 5)")
    for api in API_NAMES:
        root, folder = api_root(api), api_dir(api)
        validate_s = best_of(5, lambda: validate_file(root, folder))  # noqa: B023
        bundle_s = best_of(5, lambda: bundle_file(root, folder))  # noqa: B023
        print(f"{api:<18}{validate_s:>12.3f}{bundle_s:>10.3f}")


def _command(label: str, command: list[str], ok_codes: tuple[int, ...]) -> tuple[dict, object]:
    runs: list[Run] = []

    def measure() -> float:
        run = timed_run(command)
        if run.returncode not in ok_codes:
            raise SystemExit(f"{label} exited {run.returncode}: {' '.join(command)}")
        runs.append(run)
        return run.wall_s

    return {label: measure}, runs


def _size(size: int, rounds: int, redocly: list[str] | None) -> dict[str, tuple[Figure, Figure]]:
    contract = build_dir() / "bench" / "spec" / f"synthetic-{size}"
    root = write_synthetic_spec(contract / API, size)
    print(f"\nsynthetic-{size}: {size} operations in {contract}", flush=True)
    ours, our_runs = _command(
        "usersapi validate", [str(USERSAPI), "--contract", str(contract), "validate", API], (0,)
    )
    contenders = dict(ours)
    runs = {"usersapi validate": our_runs}
    if redocly is not None:
        # 1: it reports that the synthetic contract lists no servers (its recommended rules).
        theirs, their_runs = _command(
            "redocly lint", [*redocly, "lint", "--format", "summary", str(root)], (0, 1)
        )
        contenders.update(theirs)
        runs["redocly lint"] = their_runs
    wall = interleave(contenders, rounds)
    return {
        label: (wall[label], Figure(tuple(run.cpu_s for run in found)))  # type: ignore[attr-defined]
        for label, found in runs.items()
    }


def main(argv: list[str]) -> int:
    end_on_sigterm()
    sizes = SIZES
    if "--sizes" in argv:
        sizes = tuple(int(n) for n in argv[argv.index("--sizes") + 1].split(","))
    rounds = int(argv[argv.index("--rounds") + 1]) if "--rounds" in argv else ROUNDS
    _real_contracts()
    redocly = node_tool("redocly")
    results = {size: _size(size, rounds, redocly) for size in sizes}
    print(f"\n{rounds} interleaved rounds per size; wall and CPU seconds, median (min-max)")
    print(f"{'spec':<16}{'tool':<20}{'wall s':>22}{'cpu s':>22}{'ms/op (wall)':>14}")
    for size, by_tool in results.items():
        for tool, (wall, cpu) in by_tool.items():
            per_op = 1000 * wall.median / size
            print(
                f"synthetic-{size:<6}{tool:<20}{wall.spread():>22}{cpu.spread():>22}{per_op:>14.2f}"
            )
    _goals(results)
    return 0


def _goals(results: dict[int, dict[str, tuple[Figure, Figure]]]) -> None:
    found = []
    at_goal = results.get(GOAL_SIZE, {})
    ours = at_goal.get("usersapi validate")
    theirs = at_goal.get("redocly lint")
    if ours and theirs:
        ratio = ours[0].median / theirs[0].median
        found.append(
            goals.record(
                "spec",
                f"validate {GOAL_SIZE:,} ops <= redocly lint (wall)",
                f"{ours[0].median:.2f} s vs {theirs[0].median:.2f} s ({ratio:.0%})",
                ratio <= 1,
            )
        )
    smaller = results.get(1_000, {}).get("usersapi validate")
    if ours and smaller:
        growth = (ours[0].median / GOAL_SIZE) / (smaller[0].median / 1_000)
        found.append(
            goals.record(
                "spec",
                f"validate linear: ms/op at {GOAL_SIZE:,} <= 1.1x at 1,000",
                f"{growth:.2f}x",
                growth <= 1.1,
            )
        )
    goals.print_own(found)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
