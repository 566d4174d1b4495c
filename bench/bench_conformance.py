"""Conformance bench: full-run speed, and which faults our suite and a plain run catch.

1. The full suite (both APIs, all phases, default example counts) against the reference server,
   with --workers 1 and 2: wall time, cases, cases per second.
2. Every faulty variant of tests/conformance/faulty_servers.py, run through our suite and
   through a plain `schemathesis run` of the same bundle (same operations, phases, examples and
   seed). A plain run already fails on the correct server (e.g. opaque page tokens), so it
   counts as catching a fault only with a failure type it does not report there.

Run: `.venv/bin/python bench/bench_conformance.py` (part of `make bench`).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# The faulty and lenient variants, and the in-process server they wrap, are test helpers.
sys.path[:0] = [str(ROOT / "tests" / "conformance"), str(ROOT / "tests")]

from faulty_servers import (  # noqa: E402
    FOCUSED_EXAMPLES,
    VARIANTS,
    Variant,
    focused_run,
    running_variant,
    serve,
)

from generator.conformance.config import DEFAULT_MAX_EXAMPLES  # noqa: E402
from generator.conformance.runner import run_suite  # noqa: E402
from generator.openapi.apis import API_NAMES  # noqa: E402
from generator.openapi.bundle import bundle_api  # noqa: E402

SEED = 7
SCHEMATHESIS = str(Path(sys.executable).parent / "schemathesis")


def full_runs(workers: int) -> tuple[float, int]:
    started, cases = time.monotonic(), 0
    for api in API_NAMES:
        result = run_suite(api, seed=SEED, workers=workers, max_examples=DEFAULT_MAX_EXAMPLES)
        cases += result.cases
        status = "ok" if result.ok else f"{len(result.failures)} failures"
        print(f"  {api:<15} {result.cases:>5} cases  {result.elapsed:5.1f}s  {status}")
    return time.monotonic() - started, cases


def plain_failures(variant: Variant, base_url: str, creds: dict[str, Any], bundle: Path) -> set:
    api = creds[variant.api]
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "plain.json"
        command = [SCHEMATHESIS, "run", str(bundle), "--url", api["base_url"]]
        command += ["-H", f"Authorization: {api['Authorization']}", "--seed", str(SEED)]
        command += ["-n", str(FOCUSED_EXAMPLES), "--phases", ",".join(variant.phases)]
        command += ["--report", "json", "--report-json-path", str(report)]
        for operation in variant.operations:
            command += ["--include-operation-id", operation]
        subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
        data = json.loads(report.read_text()) if report.exists() else {"failures": []}
    return {failure["type"] for failure in data.get("failures", [])}


def faults(bundles: dict[str, Path]) -> None:
    ours = plain = 0
    print(f"  {'variant':<29} {'our suite (check)':<42} plain schemathesis")
    for variant in VARIANTS:
        with serve() as (url, creds):
            baseline = plain_failures(variant, url, creds, bundles[variant.api])
        with running_variant(variant.name) as (url, creds):
            result = focused_run(variant, creds)
            found = plain_failures(variant, url, creds, bundles[variant.api]) - baseline
        caught = variant.expected_check in result.failed_checks
        ours += caught
        plain += bool(found)
        verdict = f"{'caught' if caught else 'MISSED'} ({variant.expected_check})"
        seen = f"caught ({', '.join(sorted(found))})" if found else "missed"
        print(f"  {variant.name:<29} {verdict:<42} {seen}")
    total = len(VARIANTS)
    print(f"  score: our suite {ours}/{total} caught; plain schemathesis run {plain}/{total}")


def main() -> None:
    print("Conformance suite: full run of both APIs against the reference server")
    for workers in (1, 2):
        wall, cases = full_runs(workers)
        print(f"  --workers {workers}: {wall:.1f}s wall, {cases} cases, {cases / wall:.0f} cases/s")
    print("Faulty servers: what catches each deliberate fault")
    with tempfile.TemporaryDirectory() as tmp:
        bundles = {}
        for api in API_NAMES:
            bundles[api] = Path(tmp) / f"{api}.json"
            bundles[api].write_text(json.dumps(bundle_api(api)))
        faults(bundles)


if __name__ == "__main__":
    main()
