"""Facts kept per contract document: read once for a document, apart for an equal copy."""

from __future__ import annotations

from typing import Any

from generator.conformance.per_document import per_document


def test_a_fact_is_read_once_per_document_and_apart_for_an_equal_copy() -> None:
    reads: list[int] = []

    @per_document
    def paths(document: dict[str, Any]) -> int:
        reads.append(1)
        return len(document["paths"])

    one, copy = {"paths": {"/a": {}}}, {"paths": {"/a": {}}}
    assert [paths(one), paths(one), paths(copy)] == [1, 1, 1]
    assert len(reads) == 2  # `one` once, `copy` (equal, not the same) once
    assert paths.__name__ == "paths"  # reports and tracebacks name the reader
