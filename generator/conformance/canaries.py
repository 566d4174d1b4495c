"""Secrets the suite sends, read from the contract, and the canaries that stand in for them.

A positive case carries a fresh high-entropy value in every request field the contract marks
`writeOnly` or `format: password` and in every header parameter of `format: password`. The
run records each one, so a leak check looks for exactly those values and nothing else: a
generated password that happens to read `application/json` can no longer be mistaken for a
leak in a `Content-Type` header.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from schemathesis import APIOperation

from generator.spec.refs import resolve
from generator.spec.walk import iter_operations

CANARY_PREFIX = "cnry-"  # lets a reader of a report recognise a canary at once
_CANARY_BITS = 96


def new_canary(rng: random.Random) -> str:
    """A value no server holds by chance (2^96 of them), drawn from the run's seeded random."""
    return f"{CANARY_PREFIX}{rng.getrandbits(_CANARY_BITS):024x}"


_SECRETS: dict[tuple[int, str], Any] = {}
_DECLARED: dict[tuple[int, str], Any] = {}


def _cached(memo: dict[tuple[int, str], Any], operation: APIOperation, read: Any) -> Any:
    """Per contract document and operation: read once, asked for on every case."""
    document = operation.schema.raw_schema
    key = (id(document), operation.label)
    known = memo.get(key)
    if known is None or known[0] is not document:  # an id may be reused once freed
        known = memo[key] = (document, read(operation))
    return known[1]


def _is_secret(schema: dict[str, Any]) -> bool:
    return bool(schema.get("writeOnly")) or schema.get("format") == "password"


def _properties(spec: dict[str, Any], schema: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    schema = resolve(spec, schema)
    if not isinstance(schema, dict):
        return
    for name, prop in (schema.get("properties") or {}).items():
        yield name, resolve(spec, prop)
    for key in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(key) or ():
            yield from _properties(spec, part)


def _secrets_of(operation: APIOperation) -> tuple[frozenset[str], frozenset[str]]:
    return _cached(_SECRETS, operation, _read_secrets)


def _read_secrets(operation: APIOperation) -> tuple[frozenset[str], frozenset[str]]:
    spec = operation.schema.raw_schema
    raw = operation.definition.raw
    fields: set[str] = set()
    body = resolve(spec, raw.get("requestBody")) or {}
    for media in (body.get("content") or {}).values():
        for name, prop in _properties(spec, media.get("schema")):
            if isinstance(prop, dict) and _is_secret(prop):
                fields.add(name)
    headers = {
        parameter.name
        for parameter in operation.headers
        if _is_secret(resolve(spec, parameter.definition.get("schema")) or {})
    }
    return frozenset(fields), frozenset(headers)


_PASSWORD_HEADERS: dict[int, tuple[dict[str, Any], frozenset[str]]] = {}


def password_headers(spec: dict[str, Any]) -> frozenset[str]:
    """Every header parameter of the contract whose value is a password (`format: password`)."""
    known = _PASSWORD_HEADERS.get(id(spec))
    if known is None or known[0] is not spec:  # an id may be reused once freed
        found = set()
        for operation in iter_operations(spec):
            path_level = operation.path_item.get("parameters", [])
            for raw in [*path_level, *operation.node.get("parameters", [])]:
                parameter = resolve(spec, raw) or {}
                schema = resolve(spec, parameter.get("schema")) or {}
                if parameter.get("in") == "header" and _is_secret(schema):
                    found.add(str(parameter.get("name")))
        known = _PASSWORD_HEADERS[id(spec)] = (spec, frozenset(found))
    return known[1]


def secret_fields(operation: APIOperation) -> frozenset[str]:
    """Request body properties that are `writeOnly` or `format: password`."""
    return _secrets_of(operation)[0]


def secret_headers(operation: APIOperation) -> frozenset[str]:
    """Header parameters whose value is a password (`format: password`)."""
    return _secrets_of(operation)[1]


def body_properties(operation: APIOperation) -> frozenset[str]:
    """Every property the request body schema declares (others are unknown to the contract)."""
    return _cached(_DECLARED, operation, _read_declared)


def _read_declared(operation: APIOperation) -> frozenset[str]:
    spec = operation.schema.raw_schema
    body = resolve(spec, operation.definition.raw.get("requestBody")) or {}
    return frozenset(
        name
        for media in (body.get("content") or {}).values()
        for name, _ in _properties(spec, media.get("schema"))
    )


def declared_response_headers(operation: APIOperation, status: int) -> frozenset[str]:
    """Lower-case names of the headers the contract documents for this response."""
    spec = operation.schema.raw_schema
    responses = operation.definition.raw.get("responses") or {}
    code = str(status)
    documented = responses.get(code) or responses.get(f"{code[0]}XX") or responses.get("default")
    headers = (resolve(spec, documented) or {}).get("headers") or {}
    return frozenset(name.lower() for name in headers)


def json_strings(value: Any) -> Iterator[str]:
    """Every string value in a JSON document (keys are names, not data)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)
