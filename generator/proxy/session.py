"""A proxy session: every exchange judged, folded into a `SuiteResult` like a suite run's.

It runs in the judge process (`judge.py`), one exchange after the other as they were forwarded.

Per documented operation the session counts exchanges, status codes and check verdicts and
records coverage; each violation is printed at once as one line. When the session ends, the same
reports as `usersapi test` are written (result.json, JUnit, HTML) with the contract coverage.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from generator.conformance import context as suite_context
from generator.conformance.context import SuiteContext
from generator.conformance.coverage import contract_coverage, record_exchange
from generator.conformance.findings import failure_record, why
from generator.conformance.profiles import PROFILES
from generator.conformance.results import CheckStats, FailureRecord, OperationStats, SuiteResult
from generator.conformance.runner import declared_operations

from .exchange import Exchange
from .inspection import Inspector, Verdict
from .memo import VerdictMemo, fingerprint
from .redaction import hiding

Echo = Callable[[str], None]
UNDOCUMENTED = "(undocumented)"


class ProxySession:
    def __init__(self, api: str, spec: dict[str, Any], upstream: str, echo: Echo) -> None:
        self.spec = spec
        self.echo = echo
        self.inspector = Inspector(spec, upstream)
        self.result = SuiteResult(
            api=api,
            base_url=upstream,
            timestamp=datetime.now(UTC).isoformat(timespec="seconds"),
            seed=None,
            max_examples=0,
            workers=1,
        )
        for stats in declared_operations(spec):
            self.result.operations[stats.label] = stats
        # The domain checks find their run through the context: here, the secrets clients sent.
        self.context = SuiteContext(profile=PROFILES[api], base_url=upstream, headers={})
        self.started = time.monotonic()
        self.violations = 0
        self.outside = 0  # requests outside the API's base path, forwarded unjudged
        self.memo = VerdictMemo()
        suite_context.install(self.context)

    def on_exchange(self, ex: Exchange) -> None:
        """Judge one exchange; never raises (the judging must go on)."""
        try:
            # The checks read the exchange and, of the run, the secrets and users it knows.
            known = (len(self.context.canaries), len(self.context.users))
            verdict = self.memo.verdict(
                fingerprint(ex, known), lambda: self.inspector.inspect(ex, self.context.canaries)
            )
            if verdict is None:
                self.outside += 1
            else:
                self._fold(ex, verdict)
        except Exception as error:  # a defect of ours, reported, never fatal
            self.result.errors.append(f"{ex.method} {ex.raw_path!r}: {error!r}")
            self.echo(f"error: judging {ex.method} {ex.raw_path.decode('latin-1')}: {error!r}")

    def _stats(self, verdict: Verdict) -> OperationStats:
        stats = self.result.operations.get(verdict.label)
        if stats is None:  # undocumented: listed so that reports show it
            method, _, path = verdict.label.partition(" ")
            stats = self.result.operations[verdict.label] = OperationStats(
                UNDOCUMENTED, method, path
            )
        return stats

    def _fold(self, ex: Exchange, verdict: Verdict) -> None:
        stats = self._stats(verdict)
        stats.cases += 1
        if ex.request_cut is None:  # else no status at all: the client left before any answer
            stats.status_codes[str(ex.status)] += 1
        case = verdict.case
        if case is not None:
            record_exchange(
                stats,
                path=case.path_parameters or {},
                query=case.query or {},
                headers=case.headers or {},
                body=verdict.request_body,
                response_body=verdict.response_json(),
            )
        for name in verdict.passed:
            counts = _counts(stats, name)
            counts.run += 1
            counts.passed += 1
        if not verdict.findings:
            return
        # The secrets this request carries and every password the session has seen: another
        # exchange's password can come back in this answer, and a check's message quotes it.
        hide = hiding(self.inspector.secrets.values(ex) | self.context.canaries)
        shown_body = self.inspector.shown_body(ex)
        curl = self.inspector.curl(ex, shown_body)
        sent = _Sent(ex, shown_body)
        for finding in verdict.findings:
            counts = _counts(stats, finding.check)
            counts.run += 1
            counts.failed += 1
            record = failure_record(
                check=finding.check,
                title=finding.title,
                message=finding.message,
                operation=stats.label,
                seed=None,
                curl=curl,
                request=sent,
                response=verdict.response or _answered(ex),
                fault_at=finding.fault_at,
            )
            record = _hidden(record, hide)
            stats.add_failure(record)
            self.violations += 1
            self.echo(
                violation_line(stats.label, record.check, record.title, record.message, record.curl)
            )

    def finish(self) -> SuiteResult:
        suite_context.install(None)
        self.context.close()
        self.result.elapsed = time.monotonic() - self.started
        self.result.coverage = contract_coverage(self.spec, self.result)
        self.result.outside_base_path = self.outside
        return self.result


def _counts(stats: OperationStats, check: str) -> CheckStats:
    """The counts of one check (made when first met, not for every exchange as `setdefault`
    would: a dozen checks pass on each)."""
    counts = stats.checks.get(check)
    if counts is None:
        counts = stats.checks[check] = CheckStats()
    return counts


def violation_line(operation: str, check: str, title: str, message: str, curl: str) -> str:
    """One line per violation: operation, check, what and why, and how to send it again."""
    detail = " ".join(f"{title}. {message}".split()) if message else title
    return f"VIOLATION {operation} {check}: {detail} Why: {why(check)} Reproduce: {curl}"


def _hidden(record: FailureRecord, hide: Callable[[str], str]) -> FailureRecord:
    """The record with every secret replaced, in each text that can quote one: a check's message
    quotes values (`'…' is too short`), an answer may echo a password."""
    return dataclasses.replace(
        record,
        title=hide(record.title),
        message=hide(record.message),
        curl=hide(record.curl),
        request=hide(record.request),
        response=hide(record.response),
    )


class _Sent:
    """The request as a finding shows it: `body` with its secret fields filtered already."""

    def __init__(self, ex: Exchange, body: bytes) -> None:
        self.method = ex.method
        self.uri = ex.raw_path.decode("latin-1") + (
            "?" + ex.query_string.decode("latin-1") if ex.query_string else ""
        )
        self.body = body


class _Answered:
    def __init__(self, ex: Exchange) -> None:
        self.status_code = ex.status
        self.headers: dict[str, list[str]] = {}
        for key, value in ex.response_headers:
            self.headers.setdefault(key.decode("latin-1").lower(), []).append(
                value.decode("latin-1")
            )
        self.content = bytes(ex.response_body)


def _answered(ex: Exchange) -> _Answered | None:
    """The answer as the reports show it; None when there was none (the client left first)."""
    return None if ex.request_cut is not None else _Answered(ex)
