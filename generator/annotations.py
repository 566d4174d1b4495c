"""GitHub Actions workflow commands (``::error file=…,line=…::…``) for CI-native output.

`usersapi validate --format github` turns each finding into one; `usersapi test --format github`
turns each failure of a run into one placed on the operation in the contract, so a pull request
shows the problem on the line that declares the operation. Paths are relative to the current
directory (the workspace in CI), as GitHub matches them against the repository's files.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from generator.conformance.findings import explain
from generator.conformance.results import SuiteResult
from generator.diff.report import DiffResult
from generator.openapi.bundle import Bundle
from generator.openapi.findings import Finding


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _relative(path: Path) -> str:
    try:
        return os.path.relpath(path, Path.cwd())
    except ValueError:  # another drive on Windows
        return str(path)


def workflow_command(
    level: str,
    message: str,
    *,
    title: str | None = None,
    file: Path | None = None,
    line: int | None = None,
    col: int | None = None,
) -> str:
    """One ``::error``/``::warning`` line; properties and message escaped as the runner expects."""
    properties = {
        "file": _relative(file) if file is not None else None,
        "line": line,
        "col": col,
        "title": title,
    }
    shown = ",".join(f"{k}={_escape_property(str(v))}" for k, v in properties.items() if v)
    head = f"::{level} {shown}" if shown else f"::{level}"
    return f"{head}::{_escape_data(message)}"


def finding_annotations(findings: Iterable[Finding]) -> list[str]:
    return [
        workflow_command(f.severity, f.message, title=f.rule, file=f.file, line=f.line, col=f.col)
        for f in findings
    ]


def result_annotations(result: SuiteResult, bundle: Bundle) -> list[str]:
    """One error per distinct failure, on the operation's line in the contract; run errors too."""
    lines = []
    for operation, failure in result.failures:
        file, line, col = bundle.locate(("paths", operation.path, operation.method.lower()))
        repeated = f" ({failure.occurrences} times)" if failure.occurrences > 1 else ""
        # The same explanation as every other output (why it matters, seed, excerpts, curl),
        # under a first line that names the operation, as a pull request shows it folded.
        details = explain(failure).splitlines()[1:]
        message = "\n".join([f"{operation.label}: {failure.title}{repeated}", *details])
        title = f"usersapi test {result.api}: {failure.check}"
        lines.append(workflow_command("error", message, title=title, file=file, line=line, col=col))
    for error in result.errors:
        lines.append(workflow_command("error", error, title=f"usersapi test {result.api}"))
    return lines


def change_annotations(result: DiffResult) -> list[str]:
    """`usersapi diff`: an error per breaking change nothing accepts, a warning per other warning
    or accepted breaking change, a notice per info; each on its line in the contract."""
    lines = []
    for change in result.changes:
        level = "error" if change.failing else "notice" if change.severity == "info" else "warning"
        where = f"{change.where}: " if change.where else ""
        accepted = f" [accepted: {change.accepted_by}]" if change.accepted_by else ""
        message = f"{where}{change.message}{accepted}"
        lines.append(
            workflow_command(
                level, message, title=change.rule, file=Path(change.file), line=change.line
            )
        )
    return lines
