"""`usersapi report merge`: several runs of one API (shards, proxy sessions, a test run) as one.

Per operation the counts add up, status codes and check verdicts add up, failures are listed
once with their occurrences added, and the exercised names are united, so the coverage of the
merged result is recomputed from everything any run saw.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .coverage import contract_coverage
from .results import OperationStats, SuiteResult
from .runner import declared_operations


class MergeError(ValueError):
    """Results that cannot be merged: unreadable, or of different APIs."""


def read_result(path: Path) -> SuiteResult:
    """A result.json, or the one inside a report directory."""
    target = path / "result.json" if path.is_dir() else path
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
        return SuiteResult.from_json(data)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise MergeError(f"{target}: not a readable result.json ({error})") from None


def _fold(into: OperationStats, op: OperationStats) -> None:
    for name in ("cases", "positive_cases", "positive_2xx", "missing_id_probes"):
        setattr(into, name, getattr(into, name) + getattr(op, name))
    into.status_codes.update(op.status_codes)
    for name, counts in op.checks.items():
        known = into.checks.setdefault(name, type(counts)())
        known.run, known.passed = known.run + counts.run, known.passed + counts.passed
        known.failed += counts.failed
    for record in op.failures:
        before = {(f.check, f.title): f for f in into.failures}
        same = before.get((record.check, record.title))
        if same is None:
            into.failures.append(record)
        else:
            same.occurrences += record.occurrences
    for kind, names in op.exercised.items():
        into.exercised.setdefault(kind, set()).update(names)


def merge_results(results: list[SuiteResult], spec: dict[str, Any]) -> SuiteResult:
    apis = sorted({result.api for result in results})
    if len(apis) != 1:
        raise MergeError(f"results of different APIs cannot be merged: {', '.join(apis)}")
    seeds = {result.seed for result in results}
    merged = SuiteResult(
        api=apis[0],
        base_url=", ".join(dict.fromkeys(result.base_url for result in results)),
        timestamp=min(result.timestamp for result in results),
        seed=seeds.pop() if len(seeds) == 1 else None,
        max_examples=max(result.max_examples for result in results),
        workers=max(result.workers for result in results),
        elapsed=sum(result.elapsed for result in results),  # the work, not the wall time
        cases_digest=" ".join(result.cases_digest for result in results if result.cases_digest),
    )
    for result in results:
        for label, op in result.operations.items():
            known = merged.operations.get(label)
            if known is None:
                known = merged.operations[label] = OperationStats(
                    op.operation_id, op.method, op.path
                )
            _fold(known, op)
        merged.errors += result.errors
        merged.waiver_notes += result.waiver_notes
        merged.outside_base_path += result.outside_base_path
    order = {op.label: index for index, op in enumerate(declared_operations(spec))}
    merged.operations = dict(
        sorted(merged.operations.items(), key=lambda item: order.get(item[0], len(order)))
    )
    merged.coverage = contract_coverage(spec, merged)
    return merged
