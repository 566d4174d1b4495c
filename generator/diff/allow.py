"""The allow file: breaking changes a team accepts on purpose, each with its reason.

A YAML list of ``{rule, operation, pointer, reason}`` (``api`` optional: the entry then applies
to that API only). An entry that matches no change is reported, so the file does not rot. A
change to a shared component (one change listing the operations it reaches) is accepted by an
entry naming one of those operations, with the component's pointer or the operation's own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from generator.diff.findings import Change
from generator.diff.sources import DiffInputError
from generator.openapi.yaml_source import YamlSourceError, load_yaml_file

_FIELDS = ("rule", "operation", "pointer", "reason")


@dataclass(frozen=True)
class AllowEntry:
    rule: str
    operation: str
    pointer: str
    reason: str
    file: str
    line: int

    def matches(self, change: Change) -> bool:
        """A shared change is one edit: an entry naming any operation it reaches, at the
        component's pointer or at that operation's own, accepts all of it."""
        if change.rule != self.rule:
            return False
        if change.operations:
            return any(
                self.operation == reached.operation
                and self.pointer in (change.pointer, reached.pointer)
                for reached in change.operations
            )
        return (change.operation, change.pointer) == (self.operation, self.pointer)


def load_allow(path: Path, api: str) -> list[AllowEntry]:
    try:
        source = load_yaml_file(path)
    except YamlSourceError as error:
        raise DiffInputError(f"{path}:{error.line}: allow file: {error.message}") from None
    shown = os.path.relpath(path) if not path.is_absolute() else str(path)
    data = source.data if source.data is not None else []
    if not isinstance(data, list):
        raise DiffInputError(f"{shown}:1: allow file: expected a list of entries")
    entries = []
    for index, item in enumerate(data):
        line = source.position((index,))[0]
        if not isinstance(item, dict):
            raise DiffInputError(f"{shown}:{line}: allow entry: expected a mapping")
        missing = [f for f in _FIELDS if not isinstance(item.get(f), str) or not item[f].strip()]
        if missing:
            raise DiffInputError(f"{shown}:{line}: allow entry: missing {', '.join(missing)}")
        if item.get("api", api) != api:
            continue
        rule, operation, pointer, reason = (item[f] for f in _FIELDS)
        entries.append(AllowEntry(rule, operation, pointer, reason, shown, line))
    return entries


def apply_allow(changes: list[Change], entries: list[AllowEntry]) -> list[Change]:
    """Allowed breaking changes accepted; one warning per entry that matched nothing."""
    used: set[AllowEntry] = set()
    result = []
    for change in changes:
        matching = [e for e in entries if e.matches(change)]
        if matching and change.severity == "breaking":
            used.update(matching)  # one entry per operation of a shared change: all are used
            change = change.accepted(f"allowed: {matching[0].reason}")
        result.append(change)
    unused = [
        Change(
            "allow-entry-unused",
            "warning",
            f"allow entry {e.rule} at {e.operation or 'the document'} {e.pointer}"
            " matches no breaking change",
            e.operation,
            "",
            e.pointer,
            e.file,
            e.line,
        )
        for e in entries
        if e not in used
    ]
    return [*unused, *result]
