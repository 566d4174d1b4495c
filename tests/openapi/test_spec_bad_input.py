"""Broken input gives one clear finding with its location, never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.openapi.validate import validate_file

MINIMAL = Path(__file__).parents[1] / "fixtures" / "spec" / "minimal"
USER_SCHEMA = "components/schemas/User.yaml"
USER_PATH = "paths/users_{userId}.yaml"
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(8)
)


def spec_with(tmp_path: Path, files: dict[str, str]) -> Path:
    spec = tmp_path / "spec"
    shutil.copytree(MINIMAL, spec)
    for relative, text in files.items():
        (spec / relative).parent.mkdir(parents=True, exist_ok=True)
        (spec / relative).write_text(text)
    return spec / "openapi.yaml"


def only_finding(root: Path) -> tuple[str, str, int, str]:
    findings = validate_file(root)
    assert len(findings) == 1, [f.format() for f in findings]
    finding = findings[0]
    return (
        finding.rule,
        finding.file.relative_to(root.parent.resolve()).as_posix(),
        finding.line,
        (finding.message),
    )


def replace_in(path: str, old: str, new: str) -> dict[str, str]:
    text = (MINIMAL / path).read_text()
    assert old in text
    return {path: text.replace(old, new, 1)}


@pytest.mark.parametrize(
    ("files", "rule", "file", "line", "words"),
    [
        pytest.param(
            {USER_SCHEMA: "type: object\nproperties:\n  id: [unclosed\n"},
            "yaml-syntax",
            USER_SCHEMA,
            4,
            "invalid YAML",
            id="broken-yaml",
        ),
        pytest.param(
            replace_in(
                USER_PATH, "../components/schemas/User.yaml", "../components/schemas/Nope.yaml"
            ),
            "ref-unresolved",
            USER_PATH,
            22,
            "no such file",
            id="unresolved-ref",
        ),
        pytest.param(
            {
                USER_SCHEMA: "$ref: ./Other.yaml\n",
                "components/schemas/Other.yaml": "$ref: ./User.yaml\n",
            },
            "ref-cycle",
            "components/schemas/Other.yaml",
            1,
            "cyclic $ref",
            id="cyclic-ref",
        ),
        pytest.param(
            replace_in(USER_PATH, "../components/schemas/User.yaml", "../../outside.yaml"),
            "ref-outside",
            USER_PATH,
            22,
            "leaves the API folder",
            id="ref-outside-folder",
        ),
        pytest.param(
            replace_in(
                USER_PATH, "../components/schemas/User.yaml", "https://example.com/User.yaml"
            ),
            "ref-remote",
            USER_PATH,
            22,
            "remote $ref",
            id="remote-ref",
        ),
        pytest.param(
            {USER_SCHEMA: BOMB},
            "yaml-alias",
            USER_SCHEMA,
            2,
            "aliases are not allowed",
            id="yaml-bomb",
        ),
        pytest.param(
            replace_in(
                USER_PATH,
                "../components/schemas/User.yaml",
                "../components/schemas/User.yaml#/properties/id",
            ),
            "ref-layout",
            USER_PATH,
            22,
            "whole file",
            id="fragment-ref",
        ),
        pytest.param(
            {USER_SCHEMA: "type: object\nproperties: {}\nproperties: {}\n"},
            "yaml-duplicate-key",
            USER_SCHEMA,
            3,
            "duplicate key",
            id="duplicate-key",
        ),
        pytest.param(
            replace_in(USER_PATH, '    "404":', '    "404":\n      bogus: 1'),
            "oas-schema",
            USER_PATH,
            26,
            "'bogus' was unexpected",
            id="not-openapi",
        ),
    ],
)
def test_bad_input_gives_one_located_message(
    tmp_path: Path, files: dict[str, str], rule: str, file: str, line: int, words: str
) -> None:
    got_rule, got_file, got_line, message = only_finding(spec_with(tmp_path, files))
    assert (got_rule, got_file, got_line) == (rule, file, line), message
    assert words in message


def test_missing_root_file_is_reported(tmp_path: Path) -> None:
    findings = validate_file(tmp_path / "openapi.yaml")
    assert [f.rule for f in findings] == ["file-unreadable"]


def test_yaml_bomb_is_rejected_fast(tmp_path: Path) -> None:
    import time

    root = spec_with(tmp_path, {USER_SCHEMA: BOMB})
    started = time.perf_counter()
    validate_file(root)
    assert time.perf_counter() - started < 2.0
