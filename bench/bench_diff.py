"""`usersapi diff` speed: two synthetic contracts that differ in 1% of their operations.

Each size is written twice (base, head); in the head every 25th resource has one operation
changed (a new required query parameter on its list operation), so 1 operation in 100 differs.
Times: bundling both sides (the spec layer's bundler, also measured by bench_spec), comparing
them (the diff itself, held to the 3 s budget and expected linear: compare us/op flat), and the
two together (what `usersapi diff` does on multi-file sources).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import OPERATIONS_PER_RESOURCE, write_synthetic_spec  # noqa: E402

from generator.diff.engine import compare  # noqa: E402
from generator.diff.sources import Side  # noqa: E402
from generator.spec.apis import build_dir  # noqa: E402
from generator.spec.bundle import bundle_file, dump_document  # noqa: E402

SIZES = (100, 1_000, 5_000)
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
    bundled = time.perf_counter()
    changes = compare(base, head)
    compared = time.perf_counter()
    return size, changed, len(changes), bundled - started, compared - bundled


def main() -> int:
    print(
        f"{'ops':>6}{'changed':>9}{'changes':>9}{'bundle s':>10}{'compare s':>11}"
        f"{'compare us/op':>15}{'total s':>9}"
    )
    failed = False
    for size in SIZES:
        ops, changed, changes, bundle_s, compare_s = measure(size)
        total = bundle_s + compare_s
        print(
            f"{ops:>6}{changed:>9}{changes:>9}{bundle_s:>10.3f}{compare_s:>11.3f}"
            f"{1e6 * compare_s / ops:>15.0f}{total:>9.3f}"
        )
        if changes != changed:
            print(f"  expected {changed} changes (one per changed operation), got {changes}")
            failed = True
        if size == SIZES[-1] and compare_s >= LIMIT_S:
            print(f"  compare over the {LIMIT_S:.0f} s budget")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
