"""Facts read from a contract document once, then asked for on every case.

A bundled document is a dict, which cannot be a key, so facts are kept by the document's
identity. Each entry holds its document too: while the entry lives, the document does, and
its id cannot be handed to another one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from schemathesis import APIOperation

Fact = TypeVar("Fact")
Document = dict[str, Any]


def per_document(read: Callable[[Document], Fact]) -> Callable[[Document], Fact]:
    """`read(document)`, once per document."""
    kept: dict[int, tuple[Document, Fact]] = {}

    @functools.wraps(read)
    def cached(document: Document) -> Fact:
        known = kept.get(id(document))
        if known is None:
            known = kept[id(document)] = (document, read(document))
        return known[1]

    return cached


def per_operation(read: Callable[[APIOperation], Fact]) -> Callable[[APIOperation], Fact]:
    """`read(operation)`, once per operation of each document."""
    kept: dict[tuple[int, str], tuple[Document, Fact]] = {}

    @functools.wraps(read)
    def cached(operation: APIOperation) -> Fact:
        document = operation.schema.raw_schema
        key = (id(document), operation.label)
        known = kept.get(key)
        if known is None:
            known = kept[key] = (document, read(operation))
        return known[1]

    return cached
