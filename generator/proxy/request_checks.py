"""Whether a request the proxy saw keeps the contract: its parameters, headers and body.

Every rule is read from the Schemathesis operation (its parameter and body validators, built
from the contract). Security parameters are left to the server: a request without credentials
gets the documented 401, which the response checks judge.
"""

from __future__ import annotations

import json
import re
from typing import Any

from schemathesis import APIOperation

from generator.conformance.per_document import per_operation

_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_NUMBER = re.compile(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$")
_SECURITY = "x-original-security-type"


def _types(schema: Any) -> set[str]:
    kind = schema.get("type") if isinstance(schema, dict) else None
    return set(kind) if isinstance(kind, list) else {kind} if isinstance(kind, str) else set()


def parsed_value(schema: Any, raw: Any) -> Any:
    """A parameter's text as the type its schema declares (left as text when it is not one)."""
    if isinstance(raw, list):
        return [parsed_value(schema, item) for item in raw]
    types = _types(schema)
    if "integer" in types and _INTEGER.match(raw):
        return int(raw)
    if types & {"number", "integer"} and _NUMBER.match(raw):
        return float(raw)
    if "boolean" in types and raw in ("true", "false"):
        return raw == "true"
    return raw


def _first_error(validator: Any, value: Any) -> str | None:
    error = next(iter(validator.get_validator().iter_errors(value)), None)
    return None if error is None else error.message


def parameter_problems(operation: APIOperation, sources: dict[str, dict[str, Any]]) -> list[str]:
    """`sources` maps a location (path, query, header) to the values the request carried."""
    problems = []
    for location, parameters in (
        ("path", operation.path_parameters),
        ("query", operation.query),
        ("header", operation.headers),
    ):
        given = sources[location]
        for parameter in parameters:
            if _SECURITY in parameter.definition:
                continue
            raw = given.get(parameter.name.lower() if location == "header" else parameter.name)
            if raw is None:
                if parameter.is_required:
                    problems.append(
                        f"the required {location} parameter `{parameter.name}` is missing"
                    )
                continue
            value = parsed_value(parameter.validation_schema, raw)
            error = _first_error(parameter, value)
            if error is not None:
                problems.append(f"{location} parameter `{parameter.name}`={raw!r}: {error}")
    return problems


def _media_matches(declared: str, sent: str) -> bool:
    kind = sent.split(";")[0].strip().lower()
    declared = declared.lower()
    return declared in (kind, "*/*") or (declared.endswith("/*") and kind.startswith(declared[:-1]))


def parse_body(content_type: str | None, body: bytes) -> tuple[Any, str | None]:
    """The body as JSON when its media type says so, else as bytes; and why it cannot be read."""
    if not body:
        return None, None
    if content_type is None or "json" not in content_type.lower():
        return bytes(body), None
    try:
        return json.loads(body), None
    except ValueError as error:
        return bytes(body), f"the body is not valid JSON ({error})"


def body_problems(
    operation: APIOperation, content_type: str | None, body: Any, unreadable: str | None
) -> list[str]:
    bodies = list(operation.body)
    if body is None:
        required = any(b.is_required for b in bodies)
        return ["the required request body is missing"] if required else []
    if not bodies:
        return []  # the contract says nothing of a body here; servers ignore one
    chosen = next((b for b in bodies if _media_matches(b.media_type, content_type or "")), None)
    if chosen is None:
        declared = ", ".join(b.media_type for b in bodies)
        return [f"Content-Type {content_type!r} is not one the contract documents ({declared})"]
    if unreadable is not None:
        return [unreadable]
    if isinstance(body, bytes):
        return []
    error = _first_error(chosen, body)
    return [] if error is None else [f"request body: {error}"]


def _cookies(header: str | None) -> set[str]:
    return {part.split("=", 1)[0].strip() for part in (header or "").split(";") if "=" in part}


# How one security scheme's credential shows in a request: ("cookie", name), ("header", name in
# lower case), or ("query", None) for an API key in the query, judged with the query parameters.
Credential = tuple[str, Any]


@per_operation
def _requirements(operation: APIOperation) -> tuple[tuple[Credential, ...], ...] | None:
    """The credentials each security requirement asks for; None when a request needs none (no
    security, or one of the options is anonymous). Read once per operation."""
    spec = operation.schema.raw_schema
    requirements = operation.definition.raw.get("security", spec.get("security")) or []
    if not requirements or any(not requirement for requirement in requirements):
        return None
    schemes = (spec.get("components") or {}).get("securitySchemes") or {}

    def credential(name: str) -> Credential:
        scheme = schemes.get(name) or {}
        if scheme.get("type") == "apiKey" and scheme.get("in") == "cookie":
            return ("cookie", scheme.get("name"))
        if scheme.get("type") == "apiKey" and scheme.get("in") == "query":
            return ("query", None)
        header = scheme.get("name") if scheme.get("type") == "apiKey" else "Authorization"
        return ("header", str(header).lower())

    return tuple(tuple(credential(name) for name in requirement) for requirement in requirements)


def credentials_missing(operation: APIOperation, headers: dict[str, str]) -> bool:
    """Whether the request carries none of the credentials any security requirement asks for.
    `headers`: the request's headers by lower-case name."""
    requirements = _requirements(operation)
    if requirements is None:
        return False
    cookies = _cookies(headers.get("cookie"))

    def present(kind: str, name: Any) -> bool:
        if kind == "cookie":
            return name in cookies
        return kind == "query" or bool(headers.get(name))

    return not any(all(present(*needed) for needed in requirement) for requirement in requirements)
