"""Bundles of two versions of one contract sharing their parsed files (the sides of a diff).

A file whose text is the same in both versions is parsed once, and its rewrite (its $refs
pointed at the hoisted components) is taken from the first bundle when each of its refs still
leads where it led: these tests hold the second bundle to what bundling it alone gives.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.openapi.bundle import bundle_file
from generator.openapi.findings import SpecError
from generator.openapi.yaml_source import ParsedTexts

MINIMAL = Path(__file__).parents[1] / "fixtures" / "spec" / "minimal"
USER_PATH = "paths/users_{userId}.yaml"
USER_REF = "../components/schemas/User.yaml"


def version(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    shutil.copytree(MINIMAL, folder)
    return folder


def test_an_unchanged_file_is_rewritten_once_for_both_versions(tmp_path: Path) -> None:
    base, head = version(tmp_path, "base"), version(tmp_path, "head")
    user = head / "components" / "schemas" / "User.yaml"
    user.write_text(user.read_text().replace("type: object", "type: object\nminProperties: 1", 1))
    parsed: ParsedTexts = {}
    base_bundle = bundle_file(base / "openapi.yaml", base, parsed)
    head_bundle = bundle_file(head / "openapi.yaml", head, parsed)

    assert head_bundle.document == bundle_file(head / "openapi.yaml", head).document
    path_item = "/users/{userId}"
    assert head_bundle.document["paths"][path_item] is base_bundle.document["paths"][path_item]
    schemas = head_bundle.document["components"]["schemas"]
    assert schemas["User"]["minProperties"] == 1  # the changed file is its own
    assert head_bundle.locate(("paths", path_item, "get"))[0] == (head / USER_PATH).resolve()


def test_a_ref_whose_file_is_gone_in_the_second_version_is_still_reported(
    tmp_path: Path,
) -> None:
    base, head = version(tmp_path, "base"), version(tmp_path, "head")
    (head / "components" / "examples" / "UserJane.yaml").unlink()
    parsed: ParsedTexts = {}
    bundle_file(base / "openapi.yaml", base, parsed)
    with pytest.raises(SpecError) as raised:
        bundle_file(head / "openapi.yaml", head, parsed)

    findings = [(f.rule, f.file, f.line) for f in raised.value.findings]
    line = (
        (head / USER_PATH)
        .read_text()
        .splitlines()
        .index("              $ref: ../components/examples/UserJane.yaml")
    )
    assert findings == [("ref-unresolved", (head / USER_PATH).resolve(), line + 1)]


def test_a_ref_that_leads_elsewhere_in_the_second_version_is_followed_there(
    tmp_path: Path,
) -> None:
    """The same ref text through a symlinked folder: the head's User is another file."""
    base, head = version(tmp_path, "base"), version(tmp_path, "head")
    schemas = head / "components" / "schemas"
    elsewhere = head / "components" / "elsewhere"
    schemas.rename(elsewhere)
    schemas.mkdir()
    (schemas / "User.yaml").symlink_to(elsewhere / "User.yaml")
    parsed: ParsedTexts = {}
    bundle_file(base / "openapi.yaml", base, parsed)
    with pytest.raises(SpecError) as raised:
        bundle_file(head / "openapi.yaml", head, parsed)

    with pytest.raises(SpecError) as alone:
        bundle_file(head / "openapi.yaml", head)
    assert raised.value.findings == alone.value.findings
    assert {f.rule for f in raised.value.findings} == {"ref-layout"}
