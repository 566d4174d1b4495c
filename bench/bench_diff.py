"""`usersapi diff` speed: two synthetic contracts that differ in 1% of their operations.

Each size is written twice (base, head); in the head every 25th resource has one operation
changed (a new required query parameter on its list operation), so 1 operation in 100 differs.
Each round does what `usersapi diff` does with two multi-file sides: load both (bundled the way
the diff loads them, sharing the parse of the files they have in common), then compare them;
like the `usersapi` process, this one exits when its work ends, so what the diff built is
frozen at its end rather than traversed by a collection (generator.perf.paused_gc).
A cold round starts with no pack of stored parses (generator.diff.stored_parses: a fresh
clone's CI); the warm round after it finds the pack that round wrote (a second run, or a base
release diffed again). Medians of 3 interleaved cold/warm rounds per size; the goals are the
end-to-end time at 5,000 operations (< 3 s), cold and warm, and its growth (cold us/op at
5,000 no more than 1.5x that at 1,000; 100 operations is quoted but too small to time).
The goals are judged on this process's CPU time: the machine is shared, and wall time there
measures the other work as much as this one (on an idle machine the two are the same); wall
time and the load average are printed beside it.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import goals  # noqa: E402
from synthetic import OPERATIONS_PER_RESOURCE, write_synthetic_spec  # noqa: E402

from generator.diff.engine import compare  # noqa: E402
from generator.diff.sources import folder_side  # noqa: E402
from generator.diff.stored_parses import StoredParses  # noqa: E402
from generator.openapi.apis import build_dir  # noqa: E402
from generator.openapi.bundle import dump_document  # noqa: E402
from generator.perf import mark_console_script, paused_gc  # noqa: E402

SIZES = (100, 1_000, 5_000)
ROUNDS = 3  # end-to-end runs per size; the medians are reported
CHANGED_EVERY = 100 // OPERATIONS_PER_RESOURCE  # one changed operation per 25 resources
LIMIT_S = 3.0


def change_one_percent(folder: Path, operations: int) -> int:
    changed = 0
    for index in range(0, operations // OPERATIONS_PER_RESOURCE, CHANGED_EVERY):
        path = folder / "paths" / f"things{index}.yaml"
        item = yaml.safe_load(path.read_text(encoding="utf-8"))
        item["get"]["parameters"] = [
            {
                "name": "org",
                "in": "query",
                "required": True,
                "description": "Organization.",
                "schema": {"type": "string"},
            }
        ]
        dump_document(item, path)
        changed += 1
    return changed


Round = tuple[int, float, float, float]


def end_to_end(base_folder: Path, head_folder: Path, pack: Path) -> Round:
    """(changes found, CPU s loading both sides, CPU s comparing them, wall s of both)."""
    started, started_cpu = time.perf_counter(), time.process_time()
    parsed = StoredParses(pack)
    with paused_gc(keep_to_exit=True):  # as run_diff does (this process, too, ends after it)
        base = folder_side(base_folder, "base", base_folder, parsed)
        head = folder_side(head_folder, "head", head_folder, parsed)
        parsed.save()
        loaded_cpu = time.process_time()
        changes = compare(base, head)  # locating each finding maps its file's lines here
    done_cpu = time.process_time()
    return (
        len(changes),
        loaded_cpu - started_cpu,
        done_cpu - loaded_cpu,
        time.perf_counter() - started,
    )


def measure(size: int) -> tuple[int, dict[str, Round]]:
    """(operations changed, the medians of the cold and of the warm rounds)."""
    base_folder = build_dir() / "bench" / f"diff-{size}-base"
    head_folder = build_dir() / "bench" / f"diff-{size}-head"
    pack = build_dir() / "bench" / f"diff-{size}-parses.marshal"
    write_synthetic_spec(base_folder, size)
    write_synthetic_spec(head_folder, size)
    changed = change_one_percent(head_folder, size)
    rounds: dict[str, list[Round]] = {"cold": [], "warm": []}
    for _ in range(ROUNDS):
        pack.unlink(missing_ok=True)
        rounds["cold"].append(end_to_end(base_folder, head_folder, pack))
        rounds["warm"].append(end_to_end(base_folder, head_folder, pack))
    return changed, {kind: _medians(found) for kind, found in rounds.items()}


def _medians(rounds: list[Round]) -> Round:
    changes = {r[0] for r in rounds}
    return (
        changes.pop() if len(changes) == 1 else -1,
        statistics.median(r[1] for r in rounds),
        statistics.median(r[2] for r in rounds),
        statistics.median(r[3] for r in rounds),
    )


def main() -> int:
    mark_console_script()  # as the usersapi console script does
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} (2 cores)")
    print("CPU seconds of this process (medians of 3 rounds), wall seconds beside them")
    print(
        f"{'ops':>6}{'run':>5}{'changed':>9}{'changes':>9}{'load s':>9}{'compare s':>11}"
        f"{'total s':>9}{'total us/op':>13}{'wall s':>9}"
    )
    totals: dict[str, list[tuple[int, float]]] = {"cold": [], "warm": []}
    for size in SIZES:
        changed, medians = measure(size)
        for kind, (changes, load_s, compare_s, wall_s) in medians.items():
            total_s = load_s + compare_s
            totals[kind].append((size, total_s))
            print(
                f"{size:>6}{kind:>5}{changed:>9}{changes:>9}{load_s:>9.3f}{compare_s:>11.3f}"
                f"{total_s:>9.3f}{1e6 * total_s / size:>13.0f}{wall_s:>9.3f}"
            )
            if changes != changed:
                print(f"  expected {changed} changes (one per changed operation), got {changes}")
                return 1
    per_op = [1e6 * s / n for n, s in totals["cold"]]
    found = []
    for kind, rows in totals.items():
        large, total = rows[-1]
        found.append(
            goals.record(
                "diff",
                f"end to end {kind} (load both + compare) {large:,} ops < {LIMIT_S:.0f} s CPU",
                f"{total:.2f} s",
                total < LIMIT_S,
            )
        )
    found.append(
        goals.record(
            "diff",
            "end to end cold linear (us/op at 5,000 <= 1.5x at 1,000)",
            " / ".join(f"{p:.0f}" for p in per_op) + " us/op",
            per_op[-1] <= 1.5 * per_op[1],
        )
    )
    goals.print_own(found)
    return 0 if all(goal.met for goal in found) else 1


if __name__ == "__main__":
    sys.exit(main())
