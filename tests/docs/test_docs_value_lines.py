"""Values written as JSON or Python literals in lines of pieces read as json.dumps writes them,
and as Python reads them back."""

from __future__ import annotations

import ast
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.docs.code_pieces import Line
from generator.docs.value_lines import JSON, PYTHON, value_lines

_KEYS = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=20,
)


def _text(lines: list[Line]) -> str:
    return "\n".join("".join(line) for line in lines)


@settings(max_examples=300, deadline=None)
@given(_VALUES)
def test_json_layout_is_what_json_dumps_writes(value: Any) -> None:
    assert _text(value_lines(value, JSON)) == json.dumps(value, indent=2, ensure_ascii=False)


@pytest.mark.parametrize(
    "value", [{}, [], {"a": {}}, [[]], {"a": [1, {"b": None}]}, {1: 2, False: 3, None: 4, 1.5: 5}]
)
def test_json_layout_of_empty_and_non_string_keys(value: Any) -> None:
    assert _text(value_lines(value, JSON)) == json.dumps(value, indent=2, ensure_ascii=False)


def test_json_layout_nested_under_a_prefix_indents_its_later_lines() -> None:
    expected = json.dumps({"a": [1]}, indent=2).replace("\n", "\n  ")
    assert _text(value_lines({"a": [1]}, JSON, 1)) == expected


# Not NaN nor the infinities: json.dumps writes them as names Python does not read back.
_FINITE = st.floats(allow_nan=False, allow_infinity=False)
_PYTHON_SCALARS = st.none() | st.booleans() | st.integers() | _FINITE | st.text()


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(
        _PYTHON_SCALARS,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=20,
    )
)
def test_python_layout_reads_back_as_the_value(value: Any) -> None:
    assert ast.literal_eval(_text(value_lines(value, PYTHON))) == value


def test_python_layout_writes_a_key_above_u_ffff_as_one_character() -> None:
    text = _text(value_lines({"\U0001f600": "\U0001f600"}, PYTHON))
    assert text == '{\n    "\U0001f600": "\U0001f600",\n}'
    assert ast.literal_eval(text) == {"\U0001f600": "\U0001f600"}


def test_python_layout_ends_every_item_with_a_comma() -> None:
    assert _text(value_lines({"a": [1, None]}, PYTHON)) == (
        '{\n    "a": [\n        1,\n        None,\n    ],\n}'
    )
