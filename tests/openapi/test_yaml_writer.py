"""The YAML writer of bundles: every value reads back as itself, in PyYAML and in our loader."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.openapi.apis import API_NAMES
from generator.openapi.bundle import bundle_api, document_text
from generator.openapi.yaml_source import parse_yaml_text
from generator.openapi.yaml_writer import yaml_text

# Strings YAML readers are quick to misread: types of YAML 1.1 and 1.2, indicators, comments,
# line breaks of every kind, indentation, characters that must be escaped.
_TRICKY = [
    "",
    " ",
    "yes",
    "No",
    "on",
    "y",
    "n",
    "~",
    "null",
    "Null",
    "true",
    "0o17",
    "0x1F",
    "1_000",
    "1e5",
    ".5",
    ".inf",
    "-.inf",
    ".nan",
    "2024-01-31",
    "12:30:00",
    "3.1.0",
    "- a",
    "-",
    "? x",
    ": x",
    "a: b",
    "a:b",
    "a #b",
    "a#b",
    "#x",
    "&a",
    "*a",
    "!x",
    "%x",
    "@x",
    "`x",
    "'x'",
    '"x"',
    "|",
    ">",
    "<<",
    "=",
    "---",
    "...",
    "a\nb",
    "a\nb\n",
    "a\n\nb\n",
    "a\n\n",
    "\na",
    " a\nb",
    "a \nb",
    "a\n b\n",
    "a\n  - b\n",
    "a\n# b\n",
    "a\tb",
    "a\rb",
    "a\r\nb",
    "\x85",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\x7f",
    "\x00",
    "é",
    "a\n é\n",
    "long " * 300,
    "/users/{id}",
    "https://x.example/a?b=c#d",
    "a  b",
    "a ",
    "é\n\U0001f600\n",
]
_SCALARS = (
    st.none() | st.booleans() | st.integers() | st.floats() | st.text() | st.sampled_from(_TRICKY)
)
_DATA = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text() | st.sampled_from(_TRICKY), inner, max_size=4)
    ),
    max_leaves=30,
)


def _same(a: Any, b: Any) -> bool:
    """Equal, a NaN being equal to a NaN."""
    if isinstance(a, float) and a != a:
        return isinstance(b, float) and b != b
    if isinstance(a, dict):
        return (
            isinstance(b, dict) and list(a) == list(b) and all(_same(a[key], b[key]) for key in a)
        )
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(_same, a, b))
    return type(a) is type(b) and a == b


@settings(max_examples=300, deadline=None)
@given(_DATA)
def test_every_value_reads_back_as_itself(data: Any) -> None:
    text = yaml_text(data)
    assert _same(yaml.load(text, Loader=yaml.CSafeLoader), data), text
    assert _same(yaml.load(text, Loader=yaml.SafeLoader), data), text


@pytest.mark.parametrize("value", _TRICKY)
def test_tricky_strings_read_back_in_our_loader(value: str) -> None:
    document = {"key": value, value: [value, {value: value}]}
    parsed = parse_yaml_text(yaml_text(document), Path("bundle.yaml")).data
    assert parsed == document


@pytest.mark.parametrize("api", API_NAMES)
def test_the_contracts_read_back_and_keep_their_text_readable(api: str) -> None:
    document = bundle_api(api)
    text = document_text(document, "yaml")
    assert yaml.load(text, Loader=yaml.CSafeLoader) == document
    assert "description: |\n" in text  # multi-line descriptions as literal blocks
    assert "operationId: " in text and "\n- " in text  # plain scalars, block sequences


def test_layout_is_block_style_with_sequences_under_their_key() -> None:
    document = {
        "a": {"b": [1, {"c": None, "d": [True, []]}, [2.5, 1e-05]], "e": {}},
        "f": "two\nlines\n",
        "g": "no newline\nat the end",
    }
    assert yaml_text(document) == (
        "a:\n"
        "  b:\n"
        "  - 1\n"
        "  - c: null\n"
        "    d:\n"
        "    - true\n"
        "    - []\n"
        "  - - 2.5\n"
        "    - 1.0e-05\n"
        "  e: {}\n"
        "f: |\n"
        "  two\n"
        "  lines\n"
        "g: |-\n"
        "  no newline\n"
        "  at the end\n"
    )


def test_data_that_is_not_contract_data_is_left_to_pyyaml() -> None:
    import datetime

    document = {"day": datetime.date(2024, 1, 31)}
    assert yaml.safe_load(document_text(document, "yaml")) == document


@pytest.mark.parametrize("api", API_NAMES)
def test_the_json_text_is_what_json_writes(api: str) -> None:
    document = bundle_api(api)
    expected = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    assert document_text(document, "json") == expected


def test_json_keys_that_are_not_strings_are_left_to_json() -> None:
    assert json.loads(document_text({"a": {200: [2**70]}}, "json")) == {"a": {"200": [2**70]}}
