"""Wall times of validate and bundle: the real contracts, then synthetic ones of growing size."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import write_synthetic_spec  # noqa: E402

from generator.spec.apis import API_NAMES, api_dir, api_root, build_dir  # noqa: E402
from generator.spec.bundle import bundle_file, dump_document  # noqa: E402
from generator.spec.validate import validate_file  # noqa: E402
from generator.spec.walk import iter_operations  # noqa: E402

SIZES = (100, 1_000, 5_000)


def best_of(runs: int, action) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def measure(label: str, root: Path, folder: Path, runs: int) -> tuple[str, int, float, float, int]:
    findings = validate_file(root, folder)
    if findings:
        raise SystemExit(f"{label}: {len(findings)} findings, first: {findings[0].format()}")
    validate_s = best_of(runs, lambda: validate_file(root, folder))
    bundle_s = best_of(runs, lambda: bundle_file(root, folder))
    document = bundle_file(root, folder).document
    out = build_dir() / "bench" / f"{label}.yaml"
    dump_document(document, out)
    operations = sum(1 for _ in iter_operations(document))
    return label, operations, validate_s, bundle_s, out.stat().st_size


def main() -> None:
    rows = [measure(api, api_root(api), api_dir(api), runs=5) for api in API_NAMES]
    for size in SIZES:
        folder = build_dir() / "bench" / f"synthetic-{size}"
        root = write_synthetic_spec(folder, size)
        rows.append(measure(f"synthetic-{size}", root, folder, runs=1 if size >= 1000 else 3))
    header = ("spec", "ops", "validate s", "bundle s", "ms/op (val)", "bundle KB")
    print(
        f"{header[0]:<18}"
        + "".join(f"{h:>{w}}" for h, w in zip(header[1:], (6, 12, 10, 13, 11), strict=True))
    )
    for label, operations, validate_s, bundle_s, size in rows:
        per_op = 1000 * validate_s / max(operations, 1)
        print(
            f"{label:<18}{operations:>6}{validate_s:>12.3f}{bundle_s:>10.3f}{per_op:>13.3f}"
            f"{size / 1024:>11.1f}"
        )


if __name__ == "__main__":
    main()
