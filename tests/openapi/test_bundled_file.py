"""A bundled file reads back as the document bundled (JSON or YAML by its name), and a file
that is not a bundled OpenAPI 3 document is refused with one message naming it."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.openapi.apis import API_NAMES
from generator.openapi.bundle import bundle_api, dump_document
from generator.openapi.bundled_file import BundledFileError, read_bundled_file
from generator.openapi.yaml_source import MAX_FILE_BYTES


@pytest.mark.parametrize("api", API_NAMES)
@pytest.mark.parametrize("suffix", [".json", ".yaml", ".JSON"])
def test_a_bundle_reads_back_as_the_document_bundled(tmp_path: Path, api: str, suffix: str) -> None:
    document = bundle_api(api)
    path = tmp_path / f"{api}{suffix}"
    dump_document(document, path)
    assert read_bundled_file(path) == document


def test_a_yaml_bundle_larger_than_a_source_file_is_read(tmp_path: Path) -> None:
    """The limit of a contract's source file is not a bundle's: a big contract bundles into
    one file larger than any of its own."""
    description = "x" * (MAX_FILE_BYTES + 1)
    path = tmp_path / "big.yaml"
    path.write_text(f"openapi: 3.1.0\ninfo:\n  description: {description}\npaths: {{}}\n")
    assert read_bundled_file(path)["info"]["description"] == description


REFUSED = {
    "not JSON": ("a.json", b'{"openapi": "3.1.0",', "not JSON: "),
    "JSON read as YAML would be": ("a.json", b"openapi: 3.1.0\npaths: {}\n", "not JSON: "),
    "a JSON list": ("a.json", b"[1]", "not an OpenAPI 3 document (no 'openapi: 3.x' at its top)"),
    "OpenAPI 2": ("a.json", b'{"swagger": "2.0"}', "no 'openapi: 3.x' at its top"),
    "paths a list": ("a.yaml", b"openapi: 3.1.0\npaths: [1]\n", "('paths' is not a mapping)"),
    "a YAML alias": (
        "a.yaml",
        b"openapi: 3.1.0\na: &x {b: 1}\nc: *x\n",
        ":3:4: YAML anchors and aliases",
    ),
    "YAML syntax": ("a.yaml", b"openapi: [3.1.0\n", ": invalid YAML: "),
    "not UTF-8": ("a.yaml", b"openapi: 3.1.0\ninfo: \xff\n", ": not UTF-8: "),
}


@pytest.mark.parametrize("name, content, message", REFUSED.values(), ids=REFUSED)
def test_a_file_that_is_not_a_bundled_document_is_refused(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(BundledFileError) as raised:
        read_bundled_file(path)
    assert str(raised.value).startswith(str(path))
    assert message in str(raised.value)


def test_a_file_that_cannot_be_read_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BundledFileError, match="cannot read file"):
        read_bundled_file(tmp_path)  # a folder
