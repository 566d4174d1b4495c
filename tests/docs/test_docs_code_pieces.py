"""Samples highlighted as they are written (code_pieces) carry the markup Pygments gives their
whole text: the same classes, escaping and text, for the real contracts and hostile values."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.docs.code_pieces import Literal, sample_markup
from generator.docs.highlight import highlight_code, highlight_piece
from generator.docs.model import build_view
from generator.docs.samples import Sample

# Values a spec may put in a header, a URL or a body that a lexer could read as more than a
# string: quotes of each language, markup, escapes, interpolation, shell syntax, line breaks
# of every kind, non-ASCII text, words a lexer knows, and a very long value.
HOSTILE = [
    "plain",
    "",
    " ",
    "it's",
    'say "hi"',
    "'\"'\"'",
    "\\'",
    "<script>alert('x')</script>",
    "a & b &amp; &#39;",
    "back\\slash\\",
    "\\n not a break",
    "tab\there",
    "line\nbreak",
    "cr\rreturn\r\nand crlf",
    "\n\nblank lines\n\n",
    "100%",
    "%s and %(name)s and %d",
    "{0} {name} {{x}} }",
    "${HOME} $(rm -rf /) `id`",
    "a=b",
    "--data",
    "# comment",
    "\\\n",
    "1",
    "-1",
    "in",
    "do/x",
    "/path/only",
    "https://x.test/a?b=c&d=<e>",
    "é ü 漢字 🎉",
    "\u2028\u2029\x85",
    "\ufeffbom",
    "\x00nul\x1b[31m",
    "True None null undefined",
    "x" * 5000,
]
BODIES: list[Any] = [
    -1,
    0,
    0.5,
    1e300,
    -2.5e-7,
    True,
    None,
    "text",
    {},
    [],
    [[], {}],
    {"nested": {"list": [1, "two", None, False, {"deep": [-3]}]}},
    math.nan,
    math.inf,
    {"1": -1, "": ""},
]


def _document(value: str, body: Any, server: str = "https://api.example.test/v1") -> dict:
    """One operation whose samples carry ``value`` in every place a sample writes a value."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": server}],
        "components": {
            "securitySchemes": {
                "key": {"type": "apiKey", "in": "header", "name": "X-Key", "x-auth-value": value}
            }
        },
        "security": [{"key": []}],
        "paths": {
            "/items/{id}": {
                "post": {
                    "operationId": "postItem",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "example": value},
                        {"name": "q", "in": "query", "required": True, "example": value},
                        {"name": "X-Value", "in": "header", "required": True, "example": value},
                    ],
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "examples": {"one": {"value": {value: body, "list": [value, body]}}}
                            }
                        }
                    },
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {}}}
                    },
                },
                "delete": {
                    "operationId": "deleteItem",
                    "requestBody": {"content": {"application/json": {"example": body}}},
                    "responses": {"204": {"description": "gone"}},
                },
                "trace": {"operationId": "traceItem", "responses": {"200": {"description": "ok"}}},
            }
        },
    }


def _samples(document: dict) -> list[Sample]:
    return [sample for op in build_view("t", document).operations for sample in op.samples]


def assert_as_pygments(sample: Sample) -> None:
    """The markup Pygments gives the whole sample: curl samples with the line break it ends
    with, the others without it (as they were highlighted line by line before)."""
    whole = highlight_code(sample.text, sample.language)
    assert whole is not None
    expected = whole if sample.language == "bash" else whole.rstrip("\n")
    assert sample.code == expected, sample.text


def test_real_contract_samples_are_marked_up_as_pygments_does(
    bundled_specs: dict[str, dict[str, Any]],
) -> None:
    seen = set()
    for name, document in bundled_specs.items():
        for operation in build_view(name, document).operations:
            for sample in operation.samples:
                assert_as_pygments(sample)
                seen.add(sample.language)
    assert seen == {"bash", "python", "javascript"}


def test_hostile_fixture_samples_are_marked_up_as_pygments_does(xss_spec: dict) -> None:
    samples = _samples(xss_spec)
    assert samples
    for sample in samples:
        assert_as_pygments(sample)


def _short(value: str) -> str:
    return repr(value)[:24]


@pytest.mark.parametrize("value", HOSTILE, ids=_short)
def test_hostile_values_are_marked_up_as_pygments_does(value: str) -> None:
    for body in (*BODIES, value):
        for sample in _samples(_document(value, body)):
            assert_as_pygments(sample)


@pytest.mark.parametrize("server", ["", "http://127.0.0.1:8080", "/relative", *HOSTILE], ids=_short)
def test_hostile_servers_are_marked_up_as_pygments_does(server: str) -> None:
    for sample in _samples(_document("v", {"a": 1}, server)):
        assert_as_pygments(sample)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(value=st.text() | st.sampled_from(HOSTILE), body=_JSON)
def test_any_values_are_marked_up_as_pygments_does(value: str, body: Any) -> None:
    for sample in _samples(_document(value, body)):
        assert_as_pygments(sample)


@pytest.mark.parametrize("language", ["python", "javascript", "bash"])
@pytest.mark.parametrize("value", HOSTILE, ids=_short)
def test_a_literal_alone_is_marked_up_as_pygments_does(language: str, value: str) -> None:
    for text in (json.dumps(value), json.dumps(value, ensure_ascii=False), f"'{value}'", value):
        line = (Literal(text),)
        assert sample_markup([line], language).rstrip("\n") == highlight_piece(text, language)


def test_neighbouring_spans_of_one_class_merge_as_in_pygments() -> None:
    # "=" ends the code piece and "-" opens the literal: Pygments writes one operator span.
    markup = sample_markup([("    json=", Literal("-1"), ",")], "python")
    assert markup == highlight_piece("    json=-1,", "python")
    assert '<span class="o">=-</span>' in markup
