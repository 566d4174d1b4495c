"""The pack of parsed files kept between diffs: the same changes from it, never stale data."""

from __future__ import annotations

import subprocess
from pathlib import Path

from generator.diff.engine import compare
from generator.diff.sources import load_side
from generator.diff.stored_parses import StoredParses, blob_id
from generator.openapi.yaml_source import load_yaml_file

RELEASED = "0676be4"  # Tyk Dashboard 0.9.0 as released
TYK_1_0_0 = "3ce985f"


def _changes(pack: Path) -> tuple[list[dict], StoredParses]:
    parsed = StoredParses(pack)
    base = load_side("tyk-dashboard", RELEASED, parsed=parsed)
    head = load_side("tyk-dashboard", TYK_1_0_0, parsed=parsed)
    parsed.save()
    return [c.as_dict() for c in compare(base, head)], parsed


def test_a_diff_from_the_pack_gives_the_same_changes_with_the_same_lines(tmp_path: Path) -> None:
    pack = tmp_path / "parses.marshal"
    cold, _ = _changes(pack)
    assert pack.is_file()
    warm, parsed = _changes(pack)
    assert warm == cold and cold
    assert parsed.stored  # the warm run found its texts in the pack


def test_the_blob_id_is_git_s(tmp_path: Path) -> None:
    text = "openapi: 3.1.0\ninfo: {title: ü, version: 1.0.0}\n"
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    found = subprocess.run(
        ["git", "hash-object", str(tmp_path / "a.yaml")], capture_output=True, text=True
    )
    assert blob_id(text) == found.stdout.strip()


def test_a_pack_that_cannot_be_read_is_ignored(tmp_path: Path) -> None:
    pack = tmp_path / "parses.marshal"
    pack.write_bytes(b"\x00not marshal")
    source = tmp_path / "a.yaml"
    source.write_text("a: [1, 2]\nb: two\n", encoding="utf-8")
    parsed = StoredParses(pack)
    assert parsed.stored == {}
    loaded = load_yaml_file(source, parsed)
    assert loaded.data == {"a": [1, 2], "b": "two"} and loaded.position(("b",)) == (2, 1)


def test_the_pack_keeps_only_the_texts_the_last_run_read(tmp_path: Path) -> None:
    pack = tmp_path / "parses.marshal"
    first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"
    first.write_text("a: 1\n", encoding="utf-8")
    second.write_text("b: 2\n", encoding="utf-8")
    parsed = StoredParses(pack)
    load_yaml_file(first, parsed)
    parsed.save()
    parsed = StoredParses(pack)
    load_yaml_file(second, parsed)
    parsed.save()
    assert set(StoredParses(pack).stored) == {blob_id("b: 2\n")}
