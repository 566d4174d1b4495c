"""A problem found in the contract, located in the source file a person edits."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Finding:
    file: Path
    line: int
    col: int
    rule: str
    message: str
    severity: Severity = "error"

    def format(self, relative_to: Path | None = None) -> str:
        shown = self.file
        if relative_to is not None:
            try:
                shown = Path(os.path.relpath(self.file, relative_to))
            except ValueError:  # another drive on Windows: keep the absolute path
                shown = self.file
        return f"{shown}:{self.line}:{self.col}: {self.rule}: {self.message}"


class SpecError(Exception):
    """The contract cannot be loaded or bundled; carries the findings that say why."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        super().__init__("\n".join(f.format() for f in findings))
