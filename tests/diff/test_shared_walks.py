"""Bundling a side with the walks of another: the bundle a fresh bundler gives, its findings too."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.diff.shared_walks import FileWalks, bundle_with_walks
from generator.spec.bundle import Bundle, bundle_file, dump_document
from generator.spec.findings import SpecError


def _contract(folder: Path) -> Path:
    dump_document(
        {
            "openapi": "3.1.0",
            "info": {"title": "T", "version": "1"},
            "paths": {"/a": {"$ref": "paths/a.yaml"}, "/b": {"$ref": "paths/b.yaml"}},
        },
        folder / "openapi.yaml",
    )
    for name in ("a", "b"):
        item = {"get": {"responses": {"200": {"$ref": "../components/responses/Ok.yaml"}}}}
        dump_document(item, folder / "paths" / f"{name}.yaml")
    schema = {"schema": {"$ref": "../schemas/Thing.yaml"}}
    ok = {"description": "OK.", "content": {"application/json": schema}}
    dump_document(ok, folder / "components" / "responses" / "Ok.yaml")
    dump_document({"type": "object"}, folder / "components" / "schemas" / "Thing.yaml")
    return folder / "openapi.yaml"


def _same(reused: Bundle, fresh: Bundle) -> None:
    assert reused.document == fresh.document
    assert reused.origins == fresh.origins
    assert list(reused.sources) == list(fresh.sources)


def test_a_second_side_bundles_as_a_fresh_bundler_would(tmp_path: Path) -> None:
    base_root = _contract(tmp_path / "base")
    head = tmp_path / "head"
    shutil.copytree(tmp_path / "base", head)
    dump_document({"type": "string"}, head / "components" / "schemas" / "Thing.yaml")
    parsed: dict = {}
    walks = FileWalks()
    _same(bundle_with_walks(base_root, base_root.parent, parsed, walks), bundle_file(base_root))
    head_root = head / "openapi.yaml"
    reused = bundle_with_walks(head_root, head, parsed, walks)
    _same(reused, bundle_file(head_root))
    assert reused.document["components"]["schemas"]["Thing"] == {"type": "string"}


def test_a_ref_that_no_longer_resolves_is_reported_on_the_second_side(tmp_path: Path) -> None:
    """paths/a.yaml has the same text on both sides: its refs are replayed, not skipped."""
    base_root = _contract(tmp_path / "base")
    head = tmp_path / "head"
    shutil.copytree(tmp_path / "base", head)
    (head / "components" / "schemas" / "Thing.yaml").unlink()
    walks = FileWalks()
    parsed: dict = {}
    bundle_with_walks(base_root, base_root.parent, parsed, walks)
    with pytest.raises(SpecError) as fresh:
        bundle_file(head / "openapi.yaml")
    with pytest.raises(SpecError) as reused:
        bundle_with_walks(head / "openapi.yaml", head, parsed, walks)
    assert reused.value.findings == fresh.value.findings
    assert [f.rule for f in reused.value.findings] == ["ref-unresolved"]
