"""One change between two versions of a contract, located in the file a person edits."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

Severity = Literal["breaking", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("breaking", "warning", "info")


@dataclass(frozen=True)
class Affected:
    """One operation a change to a shared component reaches, and where in it."""

    operation: str
    operation_id: str
    pointer: str

    def as_dict(self) -> dict[str, str]:
        return {
            "operation": self.operation,
            "operationId": self.operation_id,
            "pointer": self.pointer,
        }


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
    # A change written once in a shared component and reaching several operations is one change
    # (see ``grouped``): ``operation`` is then "", ``pointer`` the component's, and these list
    # the operations with their own pointers.
    operations: tuple[Affected, ...] = ()
    # Where the change is written when that is under /components ("" otherwise), and the message
    # without the operation's own words for what holds it: what grouping needs.
    component: str = field(default="", compare=False)
    detail: str = field(default="", compare=False)

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
            **({"operations": [a.as_dict() for a in self.operations]} if self.operations else {}),
        }

    @property
    def where(self) -> str:
        """The operation, the operations of a shared change, or "" for the API as a whole."""
        if self.operations:
            return ", ".join(a.operation for a in self.operations)
        return self.operation


SHARED = "Shared components"  # the heading of the changes that reach several operations
WHOLE_API = "The whole API"


def grouped_by_operation(changes: list[Change]) -> list[tuple[str, list[Change]]]:
    """(heading, its changes): each operation's, then the shared ones, then the API's own."""
    headings: dict[str, list[Change]] = {}
    for change in changes:
        heading = change.operation or (SHARED if change.operations else WHOLE_API)
        headings.setdefault(heading, []).append(change)
    rank = {SHARED: 1, WHOLE_API: 2}
    return sorted(headings.items(), key=lambda item: (rank.get(item[0], 0), item[0]))


def grouped(changes: list[Change]) -> list[Change]:
    """Each change written in a shared component that reaches two or more operations becomes
    one change at the component, listing those operations (the order of the rest is kept)."""
    members: dict[tuple[str, ...], list[Change]] = {}
    for change in changes:
        if change.component and change.operation:
            members.setdefault(_group_key(change), []).append(change)
    result, done = [], set()
    for change in changes:
        key = _group_key(change) if change.component and change.operation else None
        group = members.get(key, []) if key else []
        if len({c.operation for c in group}) < 2:
            result.append(change)
        elif key not in done:
            done.add(key)
            result.append(_shared(change, group))
    return result


def _group_key(change: Change) -> tuple[str, ...]:
    return (change.rule, change.severity, change.component, change.file, str(change.line))


def _shared(first: Change, group: list[Change]) -> Change:
    affected = sorted(
        {Affected(c.operation, c.operation_id, c.pointer) for c in group},
        key=lambda a: (a.operation, a.pointer),
    )
    return replace(
        first,
        message=f"{component_name(first.component)}: {first.detail or first.message}",
        operation="",
        operation_id="",
        pointer=first.component,
        operations=tuple(affected),
    )


def component_name(pointer: str) -> str:
    """ "/components/schemas/User/properties/id" -> "schema 'User' at /properties/id"."""
    parts = pointer.split("/", 4)  # "", "components", kind, name, rest
    if len(parts) < 4:
        return pointer
    kind = {
        "schemas": "schema",
        "requestBodies": "request body",
        "securitySchemes": "security scheme",
    }.get(parts[2], parts[2].removesuffix("s"))
    name = parts[3].replace("~1", "/").replace("~0", "~")
    rest = f" at /{parts[4]}" if len(parts) > 4 else ""
    return f"{kind} '{name}'{rest}"


def removal(deprecated: bool) -> tuple[Severity, str]:
    """Removing what was not deprecated breaks its users; a deprecated one was announced."""
    return (
        ("warning", " (it was deprecated)") if deprecated else ("breaking", " without deprecation")
    )


def json_pointer(parts: tuple[str | int, ...]) -> str:
    """RFC 6901: "/paths/~1users/get" for ("paths", "/users", "get")."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)
