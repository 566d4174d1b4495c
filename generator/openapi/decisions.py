"""Decision ids in the contract (`x-decisions`) and their records in docs/seed-decisions.md."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.openapi.bundle import Bundle
from generator.openapi.findings import Finding
from generator.openapi.yaml_source import Pointer

_DECISION_ROW = re.compile(r"^\|\s*(D-[A-Z]+-\d+)\s*\|", re.MULTILINE)
_RECORD_IN_TEXT = re.compile(r"Seed decision", re.IGNORECASE)


def decision_record(api_folder: Path) -> Path:
    """Where the decision records of a contract live: `docs/seed-decisions.md` of its checkout."""
    return api_folder.parent.parent / "docs" / "seed-decisions.md"


def _decision_lists(node: Any, pointer: Pointer) -> Iterator[tuple[Pointer, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "x-decisions":
                yield (*pointer, key), value
            else:
                yield from _decision_lists(value, (*pointer, key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _decision_lists(item, (*pointer, index))


def _descriptions(node: Any, pointer: Pointer) -> Iterator[tuple[Pointer, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "description" and isinstance(value, str):
                yield (*pointer, key), value
            else:
                yield from _descriptions(value, (*pointer, key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _descriptions(item, (*pointer, index))


def decision_findings(bundle: Bundle) -> Iterator[Finding]:
    for pointer, text in _descriptions(bundle.document, ()):
        if _RECORD_IN_TEXT.search(text):  # public text: the record belongs in x-decisions
            yield bundle.finding(
                pointer,
                "decision-recorded",
                "a description holds a decision record; move it to docs/seed-decisions.md and "
                "put its id in x-decisions",
            )
    record = decision_record(bundle.api_folder)
    if not record.is_file():  # an installed package carries the contract, not the records
        return
    known = set(_DECISION_ROW.findall(record.read_text(encoding="utf-8")))
    for pointer, ids in _decision_lists(bundle.document, ()):
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            yield bundle.finding(pointer, "decision-recorded", "x-decisions is not a list of ids")
            continue
        for index, decision in enumerate(ids):
            if decision not in known:
                yield bundle.finding(
                    (*pointer, index),
                    "decision-recorded",
                    f"decision {decision} has no row in docs/seed-decisions.md",
                )
