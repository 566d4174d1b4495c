"""The loader gives the same data and the same refusals, located the same, with or without
mapping positions (the bundler reads without, and maps a file's lines only when asked)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.openapi.yaml_source import MAX_DEPTH, YamlSourceError, parse_yaml_text


def _nested(depth: int, leaf: str) -> str:
    """A mapping ``depth`` levels deep (the top mapping is level 0) holding ``leaf``."""
    return "".join("  " * level + "a:\n" for level in range(depth)) + "  " * depth + leaf + "\n"


TEXTS = {
    "plain": "a: 1\nb: [x, 2.5, true, null, 2024-01-31]\nc: {d: e}\n1: one\n",
    "deepest allowed scalar": _nested(MAX_DEPTH, "b: c"),
    "deepest allowed list": "a: " + "[" * (MAX_DEPTH - 1) + "x" + "]" * (MAX_DEPTH - 1) + "\n",
    "too deep scalar": _nested(MAX_DEPTH + 1, "b: c"),
    "too deep key": _nested(MAX_DEPTH, "b: c").replace(
        "b: c", "? [k]\n" + "  " * MAX_DEPTH + ": v"
    ),
    "too deep list": "a: " + "[" * MAX_DEPTH + "x" + "]" * MAX_DEPTH + "\n",
    "alias": "a: &x {b: 1}\nc: *x\n",
    "alias of a scalar": "a: &x 1\nc: *x\n",
    "duplicate key": "a: 1\nb: 2\na: 3\n",
    "duplicate after conversion": "1: a\n'1': b\n",
    "mapping as key": "? {a: 1}\n: b\n",
    "bad scalar": "a: !!int x\n",
    "syntax": "a: [1, 2\n",
    "empty": "",
}


def _outcome(text: str, map_positions: bool) -> object:
    try:
        return parse_yaml_text(text, Path("f.yaml"), map_positions=map_positions).data
    except YamlSourceError as error:
        return (error.rule, error.line, error.col, error.message)


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_same_outcome_with_and_without_positions(text: str) -> None:
    assert _outcome(text, map_positions=False) == _outcome(text, map_positions=True)


def test_the_depth_limit_is_where_it_was() -> None:
    assert _outcome(TEXTS["deepest allowed scalar"], map_positions=False) != ()
    refused = _outcome(TEXTS["too deep scalar"], map_positions=False)
    assert isinstance(refused, tuple) and refused[0] == "yaml-too-deep"
    assert isinstance(_outcome(TEXTS["deepest allowed list"], map_positions=False), dict)


# Plain scalars of every implicit type, each twice (the second is typed from the remembered
# tag), and the same texts quoted (always strings).
SCALARS = ["7", "0x1f", "-2.5e3", ".inf", ".NaN", "true", "No", "~", "null", "", "x", "1_000"]


def test_scalars_are_typed_as_the_safe_loader_types_them() -> None:
    text = "".join(f"p{i}: {s}\nr{i}: {s}\nq{i}: '{s}'\n" for i, s in enumerate(SCALARS))
    ours = parse_yaml_text(text, Path("f.yaml")).data
    theirs = yaml.safe_load(text)
    assert ours.keys() == theirs.keys()
    for key, value in theirs.items():  # NaN is not equal to itself: compare the text of each
        assert (type(ours[key]), repr(ours[key])) == (type(value), repr(value)), key
    assert parse_yaml_text("a: 2024-01-31\n", Path("f.yaml")).data == {"a": "2024-01-31"}
