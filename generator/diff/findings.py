"""One change between two versions of a contract, located in the file a person edits."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

Severity = Literal["breaking", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("breaking", "warning", "info")


@dataclass(frozen=True)
class Change:
    rule: str  # stable id, oasdiff's where one matches
    severity: Severity
    message: str
    operation: str  # "POST /users", or "" for a change outside operations
    operation_id: str  # of the head operation (the base one when it was removed)
    pointer: str  # JSON pointer into the document with every $ref replaced by its target
    file: str  # repository-relative source file: head contract, base one for removals
    line: int
    accepted_by: str = ""  # why a breaking change does not fail the gate (allow entry, major bump)

    @property
    def failing(self) -> bool:
        return self.severity == "breaking" and not self.accepted_by

    def accepted(self, reason: str) -> Change:
        return replace(self, accepted_by=reason)

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "operation": self.operation,
            "operationId": self.operation_id,
            "pointer": self.pointer,
            "file": self.file,
            "line": self.line,
            "acceptedBy": self.accepted_by or None,
        }


def removal(deprecated: bool) -> tuple[Severity, str]:
    """Removing what was not deprecated breaks its users; a deprecated one was announced."""
    return (
        ("warning", " (it was deprecated)") if deprecated else ("breaking", " without deprecation")
    )


def json_pointer(parts: tuple[str | int, ...]) -> str:
    """RFC 6901: "/paths/~1users/get" for ("paths", "/users", "get")."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)
