"""What a suite run found: per operation, status codes, checks run and failures (JSON-ready)."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class FailureRecord:
    """Built by `findings.failure_record`, the one place that knows what a finding carries."""

    check: str
    title: str
    message: str
    curl: str
    why: str = ""  # one sentence: why a user should care
    operation: str = ""  # "METHOD /path"
    seed: int | None = None
    request: str = ""  # excerpt: method, URL, body
    response: str = ""  # excerpt: status, content type, body
    missing_id_probe: bool = False  # the case aimed at an id that cannot exist
    occurrences: int = 1
    waived: str | None = None  # the waiver's reason, when a waiver accepts this failure


@dataclass
class CheckStats:
    run: int = 0
    passed: int = 0
    failed: int = 0


@dataclass
class OperationStats:
    operation_id: str
    method: str
    path: str
    cases: int = 0
    positive_cases: int = 0  # cases generated as valid requests
    positive_2xx: int = 0  # of those, how many reached a handler and succeeded
    missing_id_probes: int = 0  # writes aimed at an id that cannot exist (no own user was free)
    status_codes: Counter[str] = field(default_factory=Counter)  # "200": n
    checks: dict[str, CheckStats] = field(default_factory=dict)
    failures: list[FailureRecord] = field(default_factory=list)
    # names of the parameters, request and response fields the traffic carried (coverage.py)
    exercised: dict[str, set[str]] = field(
        default_factory=lambda: {
            "parameters": set(),
            "request_fields": set(),
            "response_fields": set(),
        }
    )

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    def status_classes(self) -> dict[str, int]:
        classes = Counter({"2xx": 0, "4xx": 0, "5xx": 0})
        for code, count in self.status_codes.items():
            classes[f"{code[0]}xx"] += count
        return dict(classes)

    def add_failure(self, record: FailureRecord) -> None:
        for known in self.failures:
            if (known.check, known.title) == (record.check, record.title):
                known.occurrences += 1
                return
        self.failures.append(record)


@dataclass
class SuiteResult:
    api: str
    base_url: str
    timestamp: str
    seed: int | None
    max_examples: int
    workers: int
    elapsed: float = 0.0
    operations: dict[str, OperationStats] = field(default_factory=dict)  # by label
    errors: list[str] = field(default_factory=list)  # run errors (not check failures)
    waiver_notes: list[str] = field(default_factory=list)  # expired or unmatched waivers
    sent: list[Any] = field(default_factory=list)  # every case sent, for the digest
    cases_digest: str = ""
    coverage: dict[str, Any] | None = None  # coverage.contract_coverage, once computed
    outside_base_path: int = 0  # requests a proxy forwarded unjudged: not the API's traffic

    @property
    def all_failures(self) -> list[tuple[OperationStats, FailureRecord]]:
        return [(op, f) for op in self.operations.values() for f in op.failures]

    @property
    def failures(self) -> list[tuple[OperationStats, FailureRecord]]:
        """Failures no waiver accepts: these fail the run."""
        return [(op, f) for op, f in self.all_failures if f.waived is None]

    @property
    def waived(self) -> list[tuple[OperationStats, FailureRecord]]:
        return [(op, f) for op, f in self.all_failures if f.waived is not None]

    @property
    def ok(self) -> bool:
        return not self.failures and not self.errors

    @property
    def cases(self) -> int:
        return sum(op.cases for op in self.operations.values())

    @property
    def failed_checks(self) -> set[str]:
        return {record.check for _, record in self.failures}

    @property
    def passed_checks(self) -> dict[str, list[str]]:
        """Per operation label, the checks that ran and never failed."""
        return {
            op.label: sorted(n for n, c in op.checks.items() if c.run and not c.failed)
            for op in self.operations.values()
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "api": self.api,
            "base_url": self.base_url,
            "timestamp": self.timestamp,
            "seed": self.seed,
            "max_examples": self.max_examples,
            "workers": self.workers,
            "elapsed_seconds": round(self.elapsed, 3),
            "ok": self.ok,
            "cases": self.cases,
            "cases_digest": self.cases_digest,
            "errors": self.errors,
            "waiver_notes": self.waiver_notes,
            "operations": [
                {
                    "operationId": op.operation_id,
                    "method": op.method,
                    "path": op.path,
                    "cases": op.cases,
                    "positive_cases": op.positive_cases,
                    "positive_2xx": op.positive_2xx,
                    "missing_id_probes": op.missing_id_probes,
                    "status_classes": op.status_classes(),
                    "status_codes": dict(sorted(op.status_codes.items())),
                    "checks": {name: asdict(stats) for name, stats in sorted(op.checks.items())},
                    "failures": [asdict(record) for record in op.failures],
                    "exercised": {kind: sorted(names) for kind, names in op.exercised.items()},
                }
                for op in self.operations.values()
            ],
            "coverage": self.coverage,
            "outside_base_path": self.outside_base_path,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SuiteResult:
        """A result read back from its result.json (for `usersapi report merge`)."""
        result = cls(
            api=data["api"],
            base_url=data.get("base_url", ""),
            timestamp=data.get("timestamp", ""),
            seed=data.get("seed"),
            max_examples=data.get("max_examples", 0),
            workers=data.get("workers", 1),
            elapsed=data.get("elapsed_seconds", 0.0),
            errors=list(data.get("errors", [])),
            waiver_notes=list(data.get("waiver_notes", [])),
            cases_digest=data.get("cases_digest", ""),
            coverage=data.get("coverage"),
            outside_base_path=data.get("outside_base_path", 0),  # absent from older files
        )
        for raw in data.get("operations", []):
            op = OperationStats(raw["operationId"], raw["method"], raw["path"])
            for name in ("cases", "positive_cases", "positive_2xx", "missing_id_probes"):
                setattr(op, name, raw.get(name, 0))
            op.status_codes.update(raw.get("status_codes", {}))
            op.checks = {name: CheckStats(**c) for name, c in raw.get("checks", {}).items()}
            op.failures = [FailureRecord(**record) for record in raw.get("failures", [])]
            for kind, names in (raw.get("exercised") or {}).items():
                op.exercised.setdefault(kind, set()).update(names)
            result.operations[op.label] = op
        return result
