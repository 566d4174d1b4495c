"""A malformed fixture fails collection with a message naming the file and the entry."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus import Bindings, CorpusError, load_file, pointer_get


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    return path


SOURCE = "source: {repository: o/r, commit: abc, path: a.yml}\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("entries: 3\n", "'entries' list"),
        (SOURCE + "entries: [{id: x, kind: guess, where: l1}]\n", "kind must be one of"),
        (SOURCE + "entries: [{id: x, kind: response-example, status: 200, body: {}}]\n", "where"),
        ("entries: [{id: x, kind: assertion, where: l1, steps: [{}]}]\n", "source lacks"),
        (
            SOURCE + "entries: [{id: x, kind: assertion, where: l1, steps: [{method: GET}]}]\n",
            "entry 'x' step 1: step lacks operation, path, expect",
        ),
        (
            SOURCE + "entries: [{id: x, kind: response-example, where: l, operation: o,"
            " status: 200, body: {}}, {id: x, kind: assertion, where: l, steps: []}]\n",
            "duplicate id",
        ),
    ],
)
def test_malformed_fixture_is_named(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(CorpusError, match="facts.yaml") as raised:
        load_file(_write(tmp_path, text), "tyk-dashboard")
    assert message in str(raised.value)


def test_placeholders_keep_types_and_fill_inside_strings() -> None:
    bindings = Bindings({"api": {"key": "k1", "ids": [7]}})
    bindings.saved["uid"] = 42
    filled = bindings.fill({"a": "${uid}", "b": "u-${uid}@x", "c": "${credentials./api/ids/0}"})
    assert filled == {"a": 42, "b": "u-42@x", "c": 7}
    with pytest.raises(KeyError, match="not bound"):
        bindings.fill("${nope}")
    assert pointer_get({"a": [{"b~/c": 1}]}, "/a/0/b~0~1c") == 1
