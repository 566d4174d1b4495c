"""Each lint rule fires, alone, at the right line of a small broken copy of a minimal spec."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.openapi.lint import RULES
from generator.openapi.validate import validate_file

MINIMAL = Path(__file__).parents[1] / "fixtures" / "spec" / "minimal"
USER_PATH = "paths/users_{userId}.yaml"
# The decision record of a checkout (docs/seed-decisions.md next to openapi/<api>/).
RECORD = "| ID | Decision |\n|---|---|\n| D-MIN-01 | A recorded decision. |\n"

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
    "path-file-named": ("openapi.yaml", "  /users/{userId}:", "  /people/{userId}:", USER_PATH, 1),
    "decision-recorded": (
        USER_PATH,
        "  operationId: getUser\n",
        "  operationId: getUser\n  x-decisions: [D-MIN-01, D-MIN-99]\n",
        USER_PATH,
        3,
    ),
    "example-access": (
        "components/schemas/User.yaml",
        "    readOnly: true\n",
        "    writeOnly: true\n",
        USER_PATH,
        24,
    ),
}


def broken_copy(tmp_path: Path, edit_file: str, old: str, new: str) -> Path:
    spec = tmp_path / "openapi" / "minimal"
    shutil.copytree(MINIMAL, spec)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "seed-decisions.md").write_text(RECORD)
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


def test_decisions_are_not_checked_without_a_record(tmp_path: Path) -> None:
    spec = tmp_path / "spec"  # e.g. an installed package: the contract without docs/
    shutil.copytree(MINIMAL, spec)
    target = spec / USER_PATH
    text = target.read_text().replace(
        "  operationId: getUser\n", "  operationId: getUser\n  x-decisions: [D-MIN-99]\n"
    )
    target.write_text(text)
    assert validate_file(spec / "openapi.yaml") == []


def test_a_decision_record_in_a_description_is_a_finding(tmp_path: Path) -> None:
    root = broken_copy(
        tmp_path,
        USER_PATH,
        "  description: Returns one user.\n",
        "  description: |\n    Returns one user.\n\n    **Seed decision D-MIN-01:** because.\n",
    )
    findings = validate_file(root)
    assert [(f.rule, f.line) for f in findings] == [("decision-recorded", 4)], findings


def test_request_examples_may_not_hold_read_only_properties(tmp_path: Path) -> None:
    root = broken_copy(
        tmp_path,
        "paths/users.yaml",
        "get:\n",
        (
            "post:\n"
            "  operationId: createUser\n"
            "  summary: Create a user\n"
            "  description: Creates one user.\n"
            "  tags: [users]\n"
            "  security:\n"
            "    - key: []\n"
            "  requestBody:\n"
            "    content:\n"
            "      application/json:\n"
            "        schema:\n"
            "          $ref: ../components/schemas/User.yaml\n"
            "        examples:\n"
            "          withId:\n"
            "            value: {id: 7, email: jane@example.com}\n"
            "  responses:\n"
            '    "400":\n'
            "      description: Invalid.\n"
            "get:\n"
        ),
    )
    findings = validate_file(root)
    assert [(f.rule, f.line) for f in findings] == [("example-access", 14)], findings
    assert "readOnly property /id" in findings[0].message
