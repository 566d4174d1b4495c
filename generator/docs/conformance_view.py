"""A conformance result.json (`usersapi test --report DIR`) -> what the docs show about it.

The report is untrusted input: any field may be missing or of the wrong type. Everything here
is coerced to plain str/int so a malformed report renders as "unknown", never as a traceback;
the templates escape every value (autoescape, no |safe).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

STATUS_CLASSES = ("2xx", "4xx", "5xx")


@dataclass(frozen=True)
class CheckView:
    name: str
    run: int
    passed: int
    failed: int


@dataclass(frozen=True)
class FailureView:
    check: str
    title: str
    message: str
    curl: str
    occurrences: int


@dataclass(frozen=True)
class StatusCoverage:
    """The declared status codes of one operation, and which of them traffic showed."""

    seen: tuple[str, ...]
    not_seen: tuple[str, ...]
    undeclared: tuple[str, ...]  # answered, but not in the contract (a violation)


@dataclass(frozen=True)
class OperationStatus:
    timestamp: str
    base_url: str
    seed: str
    cases: int
    classes: tuple[tuple[str, int], ...]  # ("2xx", n), ("4xx", n), ("5xx", n)
    checks: tuple[CheckView, ...]
    failures: tuple[FailureView, ...]

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def passed_checks(self) -> tuple[CheckView, ...]:
        return tuple(check for check in self.checks if check.failed == 0)


@dataclass(frozen=True)
class ApiStatus:
    timestamp: str
    base_url: str
    seed: str
    cases: int
    failures: int
    errors: tuple[str, ...]
    operations: Mapping[str, OperationStatus]  # by operationId; only operations with cases
    coverage_percent: str | None = None  # "72.4%": the report's contract coverage, if any
    status_coverage: Mapping[str, StatusCoverage] | None = None  # by operationId, all of them

    @property
    def ok(self) -> bool:
        return self.failures == 0 and not self.errors

    def operation(self, operation_id: str) -> OperationStatus | None:
        return self.operations.get(operation_id)

    def statuses(self, operation_id: str) -> StatusCoverage | None:
        return (self.status_coverage or {}).get(operation_id)


def _text(value: Any, default: str = "unknown") -> str:
    if value is None or isinstance(value, (dict, list)):
        return default
    text = str(value).strip()
    return text or default


def _count(value: Any) -> int:
    # bool is an int subclass; a count of True is a malformed report, not 1.
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return 0


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _checks(raw: Any) -> tuple[CheckView, ...]:
    checks = []
    for name, stats in sorted(_mapping(raw).items(), key=lambda item: str(item[0])):
        stats = _mapping(stats)
        checks.append(
            CheckView(
                name=_text(name),
                run=_count(stats.get("run")),
                passed=_count(stats.get("passed")),
                failed=_count(stats.get("failed")),
            )
        )
    return tuple(checks)


def _failures(raw: Any) -> tuple[FailureView, ...]:
    failures = []
    for item in _list(raw):
        item = _mapping(item)
        failures.append(
            FailureView(
                check=_text(item.get("check")),
                title=_text(item.get("title"), ""),
                message=_text(item.get("message"), ""),
                curl=_text(item.get("curl"), ""),
                occurrences=max(1, _count(item.get("occurrences"))),
            )
        )
    return tuple(failures)


def _codes(value: Any) -> tuple[str, ...]:
    return tuple(_text(code) for code in _list(value) if isinstance(code, str | int))


def _coverage(raw: Any) -> tuple[str | None, dict[str, StatusCoverage]]:
    """The coverage figure and per-operation statuses of a report (`coverage`, maybe absent)."""
    coverage = _mapping(raw)
    percent = _mapping(coverage.get("totals")).get("percent")
    figure = None
    if isinstance(percent, int | float) and not isinstance(percent, bool) and 0 <= percent <= 100:
        figure = f"{percent:.1f}%"
    statuses = {}
    for row in _list(coverage.get("operations")):
        row = _mapping(row)
        codes = _mapping(row.get("statuses"))
        statuses[_text(row.get("operationId"))] = StatusCoverage(
            seen=_codes(codes.get("seen")),
            not_seen=_codes(codes.get("not_seen")),
            undeclared=_codes(codes.get("undeclared_seen")),
        )
    return figure, statuses


def api_status(result: Mapping[str, Any] | None) -> ApiStatus | None:
    """The status of one API from its result.json; None when there is no report."""
    if not isinstance(result, Mapping):
        return None
    timestamp = _text(result.get("timestamp"))
    base_url = _text(result.get("base_url"))
    seed = _text(result.get("seed"), "random")
    operations: dict[str, OperationStatus] = {}
    failures = 0
    for raw in _list(result.get("operations")):
        raw = _mapping(raw)
        status = OperationStatus(
            timestamp=timestamp,
            base_url=base_url,
            seed=seed,
            cases=_count(raw.get("cases")),
            classes=tuple(
                (name, _count(_mapping(raw.get("status_classes")).get(name)))
                for name in STATUS_CLASSES
            ),
            checks=_checks(raw.get("checks")),
            failures=_failures(raw.get("failures")),
        )
        failures += len(status.failures)
        # An operation the run declared but never exercised was not verified.
        if status.cases or status.failures:
            operations[_text(raw.get("operationId"))] = status
    figure, statuses = _coverage(result.get("coverage"))
    return ApiStatus(
        timestamp=timestamp,
        base_url=base_url,
        seed=seed,
        cases=_count(result.get("cases")),
        failures=failures,
        errors=tuple(_text(error) for error in _list(result.get("errors"))),
        operations=operations,
        coverage_percent=figure,
        status_coverage=statuses,
    )


def api_statuses(results: Mapping[str, Any] | None) -> dict[str, ApiStatus]:
    """API name -> status, for the APIs that have a report."""
    statuses = {}
    for name, result in (results or {}).items():
        status = api_status(result)
        if status is not None:
            statuses[str(name)] = status
    return statuses
