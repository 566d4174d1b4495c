"""Precision bench: how often the suite fails a correct server, next to the faults it catches.

1. Both APIs against a fresh correct reference server for N seeds each (default 50, all phases,
   default example counts): failures per check over all runs. Goal: 0 failed runs.
2. The lenient server (`tests/conformance/lenient.py`: the other road wherever the contract
   allows two) for a few of those seeds; for Tyk once per form its create may answer in `Meta`
   (the new id, `""`, `null`).
3. Every faulty variant of `tests/conformance/faulty_servers.py`: caught by the check it names,
   and which other domain checks fired. Goal: every fault caught.

Runs are independent (each its own server and database), so they are spread over
`PRECISION_JOBS` processes (default: the machine's cores).

Both goals go to `make bench`'s goals table. Run: `make bench BENCH=precision` (21 minutes on 2
cores: a Cloud Elements run takes ~33 s, a Tyk run ~8 s); `PRECISION_SEEDS=10` for a shorter run
(about 7 minutes).
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing.pool import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The faulty and lenient variants, and the in-process server they wrap, are test helpers.
sys.path[:0] = [str(ROOT / "tests" / "conformance"), str(ROOT / "tests")]

import goals  # noqa: E402
from faulty_servers import VARIANTS, focused_run, running_variant  # noqa: E402
from lenient import CREATED_META, lenient_server  # noqa: E402
from servers import end_on_sigterm  # noqa: E402

from generator.conformance.checks import DOMAIN_CHECKS  # noqa: E402
from generator.conformance.runner import run_suite  # noqa: E402
from generator.openapi.apis import API_NAMES  # noqa: E402

SEEDS = int(os.environ.get("PRECISION_SEEDS", "50"))
JOBS = int(os.environ.get("PRECISION_JOBS", str(os.cpu_count() or 1)))
LENIENT_SEEDS = min(SEEDS, 5)
DOMAIN = {check.__name__ for check in DOMAIN_CHECKS}
_MISSING = "default"  # lenient run without a Meta form of its own (Cloud Elements)


@dataclass
class Outcome:
    """What one run of the suite found, small enough to cross a process boundary."""

    failed_checks: list[str] = field(default_factory=list)  # one entry per failure
    lines: list[str] = field(default_factory=list)  # failures and errors, for the log
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.lines


def _outcome(seed: int, result: object, started: float) -> Outcome:
    outcome = Outcome(seconds=time.monotonic() - started)
    for op, record in result.failures:
        outcome.failed_checks.append(record.check)
        what = f"{record.title} {record.message[:160]}".strip()
        outcome.lines.append(f"    seed {seed}: {op.label} {record.check}: {what}")
    outcome.lines += [f"    seed {seed}: error {error[:160]}" for error in result.errors]
    return outcome


def _log(outcomes: list[Outcome]) -> None:
    for outcome in outcomes:
        for line in outcome.lines:
            print(line)


def correct_run(api: str, seed: int) -> Outcome:
    started = time.monotonic()
    return _outcome(seed, run_suite(api, seed=seed), started)


def lenient_run(api: str, seed: int, meta: str | None) -> Outcome:
    started = time.monotonic()
    created_meta = "id" if meta == _MISSING else meta
    with lenient_server(created_meta=created_meta) as (_, credentials):
        return _outcome(seed, run_suite(api, credentials=credentials, seed=seed), started)


def correct_server_runs(pool: Pool) -> tuple[int, int]:
    """(failed runs, runs) against the correct reference server."""
    print(f"Correct reference server: {SEEDS} seeds per API, all phases, default examples")
    seeds = range(1, SEEDS + 1)
    futures = {
        api: [pool.apply_async(correct_run, (api, seed)) for seed in seeds] for api in API_NAMES
    }
    failed_runs = runs_made = 0
    for api, runs in futures.items():
        outcomes = [future.get() for future in runs]
        per_check = Counter(check for outcome in outcomes for check in outcome.failed_checks)
        failed = [seed for seed, outcome in zip(seeds, outcomes, strict=True) if not outcome.ok]
        _log(outcomes)
        failed_runs += len(failed)
        runs_made += len(outcomes)
        busy = sum(outcome.seconds for outcome in outcomes)
        print(
            f"  {api:<15} {len(failed)}/{SEEDS} runs failed "
            f"({busy / len(outcomes):.0f}s a run); seeds {failed}"
        )
        for check, count in sorted(per_check.items()):
            print(f"    {check:<32} {count} failures")
    return failed_runs, runs_made


def lenient_runs(pool: Pool) -> tuple[int, int]:
    """(failed runs, runs) against the lenient server, each of its forms."""
    print(f"Lenient server: {LENIENT_SEEDS} seeds per API (Tyk: per create `Meta` form)")
    forms = {api: [_MISSING] for api in API_NAMES} | {"tyk-dashboard": list(CREATED_META)}
    seeds = range(1, LENIENT_SEEDS + 1)
    failed_runs = runs_made = 0
    for api in API_NAMES:
        for meta in forms[api]:
            runs = [pool.apply_async(lenient_run, (api, seed, meta)) for seed in seeds]
            outcomes = [future.get() for future in runs]
            failed = [seed for seed, outcome in zip(seeds, outcomes, strict=True) if not outcome.ok]
            _log(outcomes)
            failed_runs += len(failed)
            runs_made += len(outcomes)
            label = api if meta == _MISSING else f"{api} Meta={meta!r}"
            print(f"  {label:<30} {len(failed)}/{LENIENT_SEEDS} runs failed; seeds {failed}")
    return failed_runs, runs_made


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
    started = time.monotonic()
    end_on_sigterm()
    # Ctrl-C or SIGTERM: leaving the block terminates the workers, which end their servers
    # through their own `finally` blocks (they handle SIGTERM as Ctrl-C too).
    with Pool(JOBS, initializer=end_on_sigterm) as pool:
        tallies = [correct_server_runs(pool), lenient_runs(pool)]
        # Done: the workers end on their own, instead of by the SIGTERM that leaving the block
        # sends, which each turns into a KeyboardInterrupt traceback while it waits for work.
        pool.close()
        pool.join()
    wrong, runs = (sum(column) for column in zip(*tallies, strict=True))
    missed = fault_table()
    print(f"{JOBS} processes, {time.monotonic() - started:.0f}s in all")
    print(f"precision: {wrong} failed runs on correct servers; recall: {missed} faults missed")
    found = [
        goals.record(
            "precision",
            "no failed run on a correct or lenient server",
            f"{wrong} of {runs} runs failed",
            wrong == 0,
        ),
        goals.record(
            "precision",
            "every deliberate fault caught",
            f"{len(VARIANTS) - missed} of {len(VARIANTS)} caught",
            missed == 0,
        ),
    ]
    goals.print_own(found)
    return 1 if wrong or missed else 0


if __name__ == "__main__":
    sys.exit(main())
