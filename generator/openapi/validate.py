"""Validate one API's contract: load and bundle, OpenAPI 3.1 structure, prance, lint rules."""

from __future__ import annotations

from pathlib import Path

from generator.openapi.apis import api_dir, api_root
from generator.openapi.bundle import bundle_file
from generator.openapi.findings import Finding, SpecError
from generator.openapi.lint import lint
from generator.openapi.structure import prance_findings, schema_findings, unresolved_local_refs
from generator.perf import paused_gc


def validate_file(
    root: Path, folder: Path | None = None, *, use_prance: bool = True
) -> list[Finding]:
    """Every finding for the contract rooted at ``root``, sorted by file and line.

    Later stages run only on what earlier stages proved sound, so one broken file yields one
    clear finding instead of a cascade (or a validator traceback).
    """
    with paused_gc():
        return _validate(root, folder, use_prance)


def _validate(root: Path, folder: Path | None, use_prance: bool) -> list[Finding]:
    try:
        bundle = bundle_file(root, folder)
    except SpecError as error:
        return sorted(error.findings)
    findings = unresolved_local_refs(bundle)
    if findings:
        return sorted(findings)
    findings = schema_findings(bundle)
    if not findings and use_prance:
        findings = prance_findings(bundle)
    findings += lint(bundle)
    return sorted(set(findings))


def validate_api(api: str, *, use_prance: bool = True) -> list[Finding]:
    return validate_file(api_root(api), api_dir(api), use_prance=use_prance)
