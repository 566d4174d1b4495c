"""The before/after corpus: each pair gives exactly the changes its file lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diff.engine import compare
from generator.diff.findings import Change
from generator.diff.sources import load_side

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(CORPUS.glob("*.yaml"))


def _documents(case: Path) -> tuple[str, str, list[str]]:
    parts = case.read_text(encoding="utf-8").split("\n--- # ")
    sections = {part.split("\n", 1)[0]: part.split("\n", 1)[1] for part in parts[1:]}
    expected = [
        line.removeprefix("- ").strip()
        for line in sections["expected"].splitlines()
        if line.startswith("- ")
    ]
    return sections["before"], sections["after"], expected


def changes_of(case: Path, tmp_path: Path) -> list[str]:
    before, after, _ = _documents(case)
    (tmp_path / "before.yaml").write_text(before, encoding="utf-8")
    (tmp_path / "after.yaml").write_text(after, encoding="utf-8")
    base = load_side("corpus", str(tmp_path / "before.yaml"))
    head = load_side("corpus", str(tmp_path / "after.yaml"))
    return sorted(_line(c) for c in compare(base, head))


def _line(change: Change) -> str:
    """A change as the corpus writes it; a shared one ends with its operations in brackets."""
    line = f"{change.rule} {change.severity} {change.pointer} {change.line}"
    return f"{line} [{change.where}]" if change.operations else line


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_case_gives_exactly_its_changes(case: Path, tmp_path: Path) -> None:
    assert changes_of(case, tmp_path) == sorted(_documents(case)[2])


def test_every_case_has_the_three_documents() -> None:
    assert len(CASES) >= 30
    for case in CASES:
        before, after, _ = _documents(case)
        assert before.strip() and after.strip(), case.name
