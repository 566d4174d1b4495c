"""`usersapi diff` speed: two synthetic contracts that differ in 1% of their operations.

Each size is written twice (base, head); in the head every 25th resource has one operation
changed (a new required query parameter on its list operation), so 1 operation in 100 differs.
Times: bundling both sides (the spec layer's bundler, also measured by bench_spec), comparing
them (the diff itself, median of 3: held to the 3 s budget and expected linear, compare us/op
flat), and the two together (what `usersapi diff` does on multi-file sources; recorded as a goal
too, but the bench fails only on the compare goals).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import goals  # noqa: E402
from synthetic import OPERATIONS_PER_RESOURCE, write_synthetic_spec  # noqa: E402

from generator.diff.engine import compare  # noqa: E402
from generator.diff.sources import Side  # noqa: E402
from generator.spec.apis import build_dir  # noqa: E402
from generator.spec.bundle import bundle_file, dump_document  # noqa: E402

SIZES = (100, 1_000, 5_000)
ROUNDS = 3  # compare runs per size; the median is reported
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


def side(folder: Path) -> Side:
    return Side(folder.name, bundle_file(folder / "openapi.yaml", folder), folder)


def measure(size: int) -> tuple[int, int, int, float, float]:
    base_folder = build_dir() / "bench" / f"diff-{size}-base"
    head_folder = build_dir() / "bench" / f"diff-{size}-head"
    write_synthetic_spec(base_folder, size)
    write_synthetic_spec(head_folder, size)
    changed = change_one_percent(head_folder, size)
    started = time.perf_counter()
    base, head = side(base_folder), side(head_folder)
    bundle_s = time.perf_counter() - started
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        changes = compare(base, head)
        times.append(time.perf_counter() - started)
    return size, changed, len(changes), bundle_s, statistics.median(times)


def main() -> int:
    print(
        f"{'ops':>6}{'changed':>9}{'changes':>9}{'bundle s':>10}{'compare s':>11}"
        f"{'compare us/op':>15}{'total s':>9}"
    )
    rows = []
    for size in SIZES:
        ops, changed, changes, bundle_s, compare_s = measure(size)
        rows.append((ops, compare_s, bundle_s + compare_s))
        print(
            f"{ops:>6}{changed:>9}{changes:>9}{bundle_s:>10.3f}{compare_s:>11.3f}"
            f"{1e6 * compare_s / ops:>15.0f}{bundle_s + compare_s:>9.3f}"
        )
        if changes != changed:
            print(f"  expected {changed} changes (one per changed operation), got {changes}")
            return 1
    (small, small_s, _), (_, _, _), (large, large_s, large_total) = rows
    per_op = [1e6 * s / n for n, s, _ in rows]
    found = [
        goals.record(
            "diff",
            f"compare {large:,} ops < {LIMIT_S:.0f} s",
            f"{large_s:.2f} s",
            large_s < LIMIT_S,
        ),
        goals.record(
            "diff",
            "compare linear in ops (us/op at 5,000 <= 1.5x at 100)",
            " / ".join(f"{p:.0f}" for p in per_op) + " us/op",
            per_op[-1] <= 1.5 * per_op[0],
        ),
        goals.record(
            "diff",
            f"end to end (bundle both + compare) {large:,} ops < {LIMIT_S:.0f} s",
            f"{large_total:.1f} s",
            large_total < LIMIT_S,
        ),
    ]
    goals.print_own(found)
    return 0 if found[0].met and found[1].met else 1


if __name__ == "__main__":
    sys.exit(main())
