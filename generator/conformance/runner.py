"""`run_suite`: the conformance suite of one API against the reference server or a live one.

The engine is Schemathesis' own (all phases, positive and negative data, every built-in check)
plus the domain checks of `checks.py` and the deep-state hooks of `generation.py`. This module
turns the engine's events into per-operation statistics, progress lines and report files.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from schemathesis.engine import events, from_schema
from schemathesis.engine.recorder import ScenarioRecorder

from generator.openapi.bundle import bundle_api
from generator.openapi.walk import iter_operations

from . import context as suite_context
from .config import ALL_PHASES, DEFAULT_MAX_EXAMPLES, build_schema
from .context import SuiteContext
from .coverage import contract_coverage, coverage_table, record_exchange
from .findings import CRASHED, explain, failure_record
from .repeatable import cases_digest
from .results import CheckStats, OperationStats, SuiteResult
from .targets import Progress, SuiteSetupError, open_target
from .waivers import Waiver, apply_waivers

__all__ = ["SuiteSetupError", "run_suite", "summary", "write_reports"]


def _quiet(line: str) -> None:
    pass


def run_suite(
    api: str,
    *,
    base_url: str | None = None,
    headers: Sequence[str] = (),
    second_org_headers: Sequence[str] = (),
    account_ids: Sequence[int] = (),
    max_examples: int = DEFAULT_MAX_EXAMPLES,
    workers: int = 1,
    seed: int | None = None,
    junit_xml: str | Path | None = None,
    report_dir: str | Path | None = None,
    progress: Progress = _quiet,
    phases: Sequence[str] = ALL_PHASES,
    deterministic: bool = False,
    operations: Sequence[str] | None = None,
    credentials: dict[str, Any] | None = None,
    waivers: Sequence[Waiver] = (),
) -> SuiteResult:
    """Run the suite; without base_url against a freshly started reference server.

    `operations` limits the run to those operationIds; `credentials` is the reference server's
    credentials document, for a reference server (or a variant of it) that is already running.
    """
    spec = bundle_api(api)
    live = (headers, second_org_headers, account_ids)
    target = open_target(api, spec, base_url, live, seed, credentials, progress)
    with target as ctx:
        progress(f"Testing {api} at {ctx.base_url} ({len(ctx.users)} users known)")
        result = SuiteResult(
            api=api,
            base_url=ctx.base_url,
            timestamp=datetime.now(UTC).isoformat(timespec="seconds"),
            seed=seed,
            max_examples=max_examples,
            workers=workers,
        )
        schema = build_schema(
            spec,
            base_url=ctx.base_url,
            headers=ctx.headers,
            max_examples=max_examples,
            workers=workers,
            seed=seed,
            phases=phases,
            deterministic=deterministic,
        )
        if operations is not None:
            schema = schema.include(operation_id=list(operations))
        _declare_operations(spec, result, operations)
        started = time.monotonic()
        suite_context.install(ctx)
        try:
            for event in from_schema(schema).execute():
                _consume(event, result, progress)
        finally:
            suite_context.install(None)
        result.elapsed = time.monotonic() - started
    result.cases_digest = cases_digest(result.sent)
    _flag_rejected_credentials(result)
    apply_waivers(result, list(waivers))
    result.coverage = contract_coverage(spec, result)
    progress(summary(result))
    write_reports(result, junit_xml=junit_xml, report_dir=report_dir)
    return result


def declared_operations(
    spec: dict[str, Any], only: Sequence[str] | None = None
) -> list[OperationStats]:
    """Every operation of the contract (or those of `only`), in the contract's order."""
    return [
        OperationStats(op.node["operationId"], op.method.upper(), op.path)
        for op in iter_operations(spec, document_order=True)
        if "operationId" in op.node and (only is None or op.node["operationId"] in only)
    ]


def _declare_operations(
    spec: dict[str, Any], result: SuiteResult, only: Sequence[str] | None
) -> None:
    """Every operation appears in the result, tested or not."""
    for stats in declared_operations(spec, only):
        result.operations[stats.label] = stats


def _consume(event: events.EngineEvent, result: SuiteResult, progress: Progress) -> None:
    if isinstance(event, events.PhaseStarted) and event.phase.is_enabled:
        progress(f"Phase {event.phase.name.value} ...")
    elif isinstance(event, events.ScenarioFinished):
        cases = record_scenario(event.recorder, result)
        if event.phase.value != "stateful":
            failed = "FAILED" if event.status.value == "failure" else "ok"
            progress(
                f"  {event.phase.value:<9} {event.recorder.label:<48} {cases:>4} cases {failed}"
            )
    elif isinstance(event, events.PhaseFinished) and event.phase.name.value == "stateful":
        if event.phase.is_enabled:
            progress(f"  stateful  {'scenarios through the contract links':<48} done")
    elif isinstance(event, events.NonFatalError):
        result.errors.append(f"{event.label}: {event.info.title}: {event.info.message}")
        progress(f"  error in {event.label}: {event.info.title}")
    elif isinstance(event, events.FatalError):
        result.errors.append(f"fatal: {event.exception!r}")
        progress(f"  fatal error: {event.exception!r}")
    elif isinstance(event, events.EngineFinished):
        for failure in event.failures:
            result.errors.append(f"{failure.title}: {failure.message}")


def _flag_rejected_credentials(result: SuiteResult) -> None:
    """A run where the server refused every request tested nothing: that is no pass."""
    refused = [
        op.label
        for op in result.operations.values()
        if op.cases and set(op.status_codes) <= {"401", "403"}
    ]
    if refused:
        result.errors.append(
            "only 401/403 answers (are the credentials right?) for " + ", ".join(refused)
        )


def record_scenario(recorder: ScenarioRecorder, result: SuiteResult) -> int:
    """Fold one scenario's cases, responses and check results into the per-operation stats."""
    ctx = suite_context.current()
    cases = 0
    for case_id, node in recorder.cases.items():
        case = node.value
        stats = result.operations.get(case.operation.label)
        if stats is None:
            continue  # a request outside the contract (e.g. an unexpected-method probe)
        interaction = recorder.interactions.get(case_id)
        # A request a built-in check derived (e.g. without auth) is no test case of its own,
        # but the check's verdict is recorded on it.
        derived = node.parent_id is not None and node.transition is None
        missing_id = ctx is not None and case.id in ctx.probes
        if not derived and interaction is not None and interaction.response is not None:
            cases += 1
            stats.cases += 1
            status = interaction.response.status_code
            stats.status_codes[str(status)] += 1
            result.sent.append(sent_case(case, ctx))
            record_exchange(
                stats,
                path=case.path_parameters or {},
                query=case.query or {},
                headers=case.headers or {},
                body=case.body,
                response_body=_json_or_none(interaction.response.content),
            )
            meta = case.meta
            if missing_id:
                stats.missing_id_probes += 1
            elif meta is None or meta.generation.mode.value == "positive":
                stats.positive_cases += 1
                stats.positive_2xx += 200 <= status < 300
        for check in recorder.checks.get(case_id, []):
            crash = ctx.crashes.get((case_id, check.name), "") if ctx is not None else ""
            _record_check(check, stats, result, interaction, missing_id, crash)
    return cases


def _json_or_none(content: bytes | None) -> Any:
    try:
        return json.loads(content or b"")
    except ValueError:
        return None


def _record_check(
    check: Any,
    stats: OperationStats,
    result: SuiteResult,
    interaction: Any,
    missing_id: bool,
    crash: str,
) -> None:
    counts = stats.checks.setdefault(check.name, CheckStats())
    counts.run += 1
    if check.status.value != "error" and check.failure_info is None:
        counts.passed += 1
        return
    counts.failed += 1
    info = check.failure_info
    stats.add_failure(
        failure_record(
            check=check.name,
            title=info.failure.title if info else CRASHED,
            message=info.failure.message if info else crash,
            operation=stats.label,
            seed=result.seed,
            curl=info.code_sample if info else "",
            request=interaction.request if interaction else None,
            response=interaction.response if interaction else None,
            probe=missing_id,
            fault_at=getattr(info.failure, "instance_path", None) if info else None,
        )
    )


def sent_case(case: Any, ctx: SuiteContext | None) -> dict[str, Any]:
    """What a case sent, with server-made ids by their stable names and the run's own headers
    (credentials, which differ per server start) left out."""
    aliases = dict(ctx.aliases) if ctx is not None else {}
    if ctx is not None and ctx.default_password:
        aliases[ctx.default_password] = "demo-password"  # made anew by each demo server
    own = {name.lower() for name in ctx.headers} if ctx is not None else set()

    def named(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: named(v) for k, v in value.items()}
        if isinstance(value, list):
            return [named(v) for v in value]
        return aliases.get(str(value), value) if isinstance(value, str | int) else value

    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() not in own}
    body = case.body if isinstance(case.body, dict | list | str | int | float) else None
    return {
        "operation": case.operation.label,
        "path": named(case.path_parameters or {}),
        "query": named(case.query or {}),
        "headers": named(headers),
        "body": named(body),
    }


def summary(result: SuiteResult) -> str:
    lines = [f"{'operation':<52} {'cases':>5} {'2xx':>5} {'4xx':>5} {'5xx':>5}  result"]
    for op in result.operations.values():
        classes = op.status_classes()
        failing = sorted({f.check for f in op.failures if f.waived is None})
        waived = sorted({f.check for f in op.failures if f.waived is not None})
        verdict = "FAILED " + ", ".join(failing) if failing else "ok"
        if waived:
            verdict += " (waived: " + ", ".join(waived) + ")"
        lines.append(
            f"{op.label:<52} {op.cases:>5} {classes['2xx']:>5} {classes['4xx']:>5} "
            f"{classes['5xx']:>5}  {verdict}"
        )
    for _, record in result.all_failures:
        lines.append("")
        lines.append(("WAIVED " if record.waived else "FAILED ") + explain(record))
    if result.all_failures:
        lines.append("")
    if result.coverage is not None:
        lines.extend([coverage_table(result.coverage), ""])
    lines.extend(f"error: {error}" for error in result.errors)
    lines.extend(f"waiver: {note}" for note in result.waiver_notes)
    verdict = "PASSED" if result.ok else f"FAILED ({len(result.failures)} failures)"
    if result.waived:
        verdict += f", {len(result.waived)} waived"
    lines.append(f"cases digest: {result.cases_digest} (seed {result.seed})")
    lines.append(
        f"{result.api}: {verdict}; {result.cases} cases in {result.elapsed:.1f}s"
        f" ({result.cases / max(result.elapsed, 1e-9):.0f} cases/s)"
    )
    return "\n".join(lines)


def write_reports(
    result: SuiteResult, *, junit_xml: str | Path | None, report_dir: str | Path | None
) -> None:
    from .junit import write_junit
    from .report_html import write_html

    if junit_xml is not None:
        write_junit(result, Path(junit_xml))
    if report_dir is not None:
        directory = Path(report_dir)
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "result.json").write_text(json.dumps(result.to_json(), indent=2) + "\n")
        write_html(result, directory / "report.html")
