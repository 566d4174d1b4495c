"""Each lint rule fires, alone, at the right line of a small broken copy of a minimal spec."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.spec.lint import RULES
from generator.spec.validate import validate_file

MINIMAL = Path(__file__).parents[1] / "fixtures" / "spec" / "minimal"
USER_PATH = "paths/users_{userId}.yaml"

# rule id -> (file to edit, text to replace, replacement, file reported, line reported)
CASES: dict[str, tuple[str, str, str, str, int]] = {
    "operationid-camelcase": (
        USER_PATH,
        "operationId: getUser",
        "operationId: Get_User",
        USER_PATH,
        2,
    ),
    "operationid-unique": (
        USER_PATH,
        "operationId: getUser",
        "operationId: listUsers",
        USER_PATH,
        2,
    ),
    "operation-summary": (USER_PATH, "  summary: Get a user\n", "", USER_PATH, 1),
    "operation-description": (USER_PATH, "  description: Returns one user.\n", "", USER_PATH, 1),
    "operation-tags": (USER_PATH, "  tags: [users]\n", "", USER_PATH, 1),
    "operation-security": (USER_PATH, "  security:\n    - key: []\n", "", USER_PATH, 1),
    "operation-4xx": (
        USER_PATH,
        '    "404":\n      description: No such user.\n',
        "",
        USER_PATH,
        16,
    ),
    "parameter-description": (
        USER_PATH,
        "      description: The user's id.\n",
        "",
        USER_PATH,
        9,
    ),
    "property-description": (
        "components/schemas/User.yaml",
        "    description: The email address.\n",
        "",
        "components/schemas/User.yaml",
        9,
    ),
    "example-valid": (
        "components/examples/UserJane.yaml",
        "  id: 7",
        "  id: seven",
        USER_PATH,
        24,
    ),
    "no-unused-components": (
        "components/schemas/Orphan.yaml",
        "",
        "type: string\ndescription: Nobody refers to me.\n",
        "components/schemas/Orphan.yaml",
        1,
    ),
    "path-params-declared": (USER_PATH, "name: userId", "name: id", USER_PATH, 8),
}


def broken_copy(tmp_path: Path, edit_file: str, old: str, new: str) -> Path:
    spec = tmp_path / "spec"
    shutil.copytree(MINIMAL, spec)
    target = spec / edit_file
    if old:
        text = target.read_text()
        assert old in text, f"fixture edit not applicable: {old!r}"
        target.write_text(text.replace(old, new, 1))
    else:
        target.write_text(new)
    return spec / "openapi.yaml"


def test_minimal_fixture_is_clean() -> None:
    assert validate_file(MINIMAL / "openapi.yaml") == []


def test_every_rule_has_a_case() -> None:
    assert set(RULES) == set(CASES)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires_alone_at_the_right_line(tmp_path: Path, rule_id: str) -> None:
    edit_file, old, new, reported_file, line = CASES[rule_id]
    root = broken_copy(tmp_path, edit_file, old, new)
    findings = validate_file(root)
    shown = [f.format() for f in findings]
    assert findings and {f.rule for f in findings} == {rule_id}, shown
    expected_file = (root.parent / reported_file).resolve()
    assert any(f.file == expected_file and f.line == line for f in findings), shown
    assert all(f.message for f in findings)
