"""Precision bench: how often the suite fails a correct server, next to the faults it catches.

1. Both APIs against a fresh correct reference server for N seeds each (default 50, all phases,
   default example counts): failures per check over all runs. Goal: 0 failed runs.
2. The lenient server (`tests/conformance/lenient.py`: the other road wherever the contract
   allows two) for a few of those seeds.
3. Every faulty variant of `tests/conformance/faulty_servers.py`: caught by the check it names,
   and which other domain checks fired. Goal: every fault caught.

Run: `make bench BENCH=precision` (about 40 minutes on 2 cores); `PRECISION_SEEDS=5` for a
shorter run.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "conformance"))

from faulty_servers import VARIANTS, focused_run, running_variant  # noqa: E402
from lenient import lenient_server  # noqa: E402

from generator.conformance.checks import DOMAIN_CHECKS  # noqa: E402
from generator.conformance.results import SuiteResult  # noqa: E402
from generator.conformance.runner import run_suite  # noqa: E402
from generator.spec.apis import API_NAMES  # noqa: E402

SEEDS = int(os.environ.get("PRECISION_SEEDS", "50"))
LENIENT_SEEDS = min(SEEDS, 5)
DOMAIN = {check.__name__ for check in DOMAIN_CHECKS}


def _print_failures(seed: int, result: SuiteResult) -> None:
    for op, record in result.failures:
        what = f"{record.title} {record.message[:160]}".strip()
        print(f"    seed {seed}: {op.label} {record.check}: {what}")


def correct_server_runs() -> int:
    print(f"Correct reference server: {SEEDS} seeds per API, all phases, default examples")
    failed_runs = 0
    for api in API_NAMES:
        per_check: Counter[str] = Counter()
        failed, started = [], time.monotonic()
        for seed in range(1, SEEDS + 1):
            result = run_suite(api, seed=seed)
            for _, record in result.failures:
                per_check[record.check] += 1
            if not result.ok:
                failed.append(seed)
                _print_failures(seed, result)
                for error in result.errors:
                    print(f"    seed {seed}: error {error[:160]}")
        failed_runs += len(failed)
        elapsed = time.monotonic() - started
        print(f"  {api:<15} {len(failed)}/{SEEDS} runs failed ({elapsed:.0f}s); seeds {failed}")
        for check, count in sorted(per_check.items()):
            print(f"    {check:<32} {count} failures")
    return failed_runs


def lenient_runs() -> int:
    print(f"Lenient server: {LENIENT_SEEDS} seeds per API")
    failed_runs = 0
    for api in API_NAMES:
        failed = []
        for seed in range(1, LENIENT_SEEDS + 1):
            with lenient_server() as (_, credentials):
                result = run_suite(api, credentials=credentials, seed=seed)
            if not result.ok:
                failed.append(seed)
                _print_failures(seed, result)
        failed_runs += len(failed)
        print(f"  {api:<15} {len(failed)}/{LENIENT_SEEDS} runs failed; seeds {failed}")
    return failed_runs


def fault_table() -> int:
    print("Faulty servers: the check each fault names, and other domain checks that fired")
    print(f"  {'variant':<29} {'expected check':<30} {'verdict':<8} other domain checks")
    missed = 0
    for variant in VARIANTS:
        with running_variant(variant.name) as (_, credentials):
            result = focused_run(variant, credentials)
        caught = variant.expected_check in result.failed_checks
        missed += not caught
        other = sorted((result.failed_checks & DOMAIN) - {variant.expected_check})
        print(
            f"  {variant.name:<29} {variant.expected_check:<30} "
            f"{'caught' if caught else 'MISSED':<8} {', '.join(other) or '-'}"
        )
    print(f"  score: {len(VARIANTS) - missed}/{len(VARIANTS)} faults caught")
    return missed


def main() -> int:
    wrong = correct_server_runs()
    wrong += lenient_runs()
    missed = fault_table()
    print(f"precision: {wrong} failed runs on correct servers; recall: {missed} faults missed")
    return 1 if wrong or missed else 0


if __name__ == "__main__":
    sys.exit(main())
