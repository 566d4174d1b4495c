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

from generator.openapi import secrets
from generator.openapi.refs import resolve
from generator.openapi.secrets import is_secret as _is_secret
from generator.openapi.walk import declared_properties, iter_operations

from .per_document import per_document, per_operation

CANARY_PREFIX = "cnry-"  # lets a reader of a report recognise a canary at once
_CANARY_BITS = 96


def new_canary(rng: random.Random) -> str:
    """A value no server holds by chance (2^96 of them), drawn from the run's seeded random."""
    return f"{CANARY_PREFIX}{rng.getrandbits(_CANARY_BITS):024x}"


def _properties(spec: dict[str, Any], schema: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, prop in declared_properties(spec, schema).items():
        yield name, resolve(spec, prop)


@per_operation
def _secrets_of(operation: APIOperation) -> tuple[frozenset[str], frozenset[str]]:
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


@per_document
def password_headers(spec: dict[str, Any]) -> frozenset[str]:
    """Every header parameter of the contract whose value is a password (`format: password`)."""
    found = set()
    for operation in iter_operations(spec):
        path_level = operation.path_item.get("parameters", [])
        for raw in [*path_level, *operation.node.get("parameters", [])]:
            parameter = resolve(spec, raw) or {}
            schema = resolve(spec, parameter.get("schema")) or {}
            if parameter.get("in") == "header" and _is_secret(schema):
                found.add(str(parameter.get("name")))
    return frozenset(found)


# Every property the contract marks secret anywhere (remembered per contract document).
secret_field_names = per_document(secrets.secret_field_names)


def secret_fields(operation: APIOperation) -> frozenset[str]:
    """Request body properties that are `writeOnly` or `format: password`."""
    return _secrets_of(operation)[0]


def secret_headers(operation: APIOperation) -> frozenset[str]:
    """Header parameters whose value is a password (`format: password`)."""
    return _secrets_of(operation)[1]


@per_operation
def body_properties(operation: APIOperation) -> frozenset[str]:
    """Every property the request body schema declares (others are unknown to the contract)."""
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
