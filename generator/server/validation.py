"""Request validation compiled once from the bundled contract: parameters, content type, body.

Nothing here knows a field of either API: every rule comes from the spec's parameter and
request-body schemas. `#/components/...` refs are resolved by compiling each schema inside a
wrapper document that carries the spec's `components`.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jsonschema_rs

from generator.openapi.refs import resolve
from generator.openapi.secrets import is_secret, secret_field_names
from generator.openapi.walk import iter_operations

from .errors import ApiError

INT64 = (-(2**63), 2**63 - 1)
FILTERED = "[Filtered]"  # in place of a value an error message must not show (a password)
# OpenAPI's integer formats are ranges; JSON Schema validators do not know them, so they are
# turned into the equivalent minimum/maximum before compiling. Keyed for lookups by whatever a
# schema's `format` holds (None when it has none).
_INTEGER_FORMAT_RANGES: dict[object, tuple[int, int]] = {
    "int32": (-(2**31), 2**31 - 1),
    "int64": INT64,
}
_INTEGER = re.compile(r"^[+-]?[0-9]{1,19}$")
_NUMBER = re.compile(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$")
# Headers OpenAPI says are described elsewhere (security, content negotiation).
_IGNORED_HEADERS = {"authorization", "content-type", "accept"}


@dataclass(frozen=True)
class Param:
    name: str
    location: str  # path | query | header
    required: bool
    kind: str  # integer | number | boolean | string | ...
    default: Any
    validator: Any
    key: str  # looked up by: the name, in lower case for a header (incoming.header_dict)
    secret: bool = False  # a password: its value is never quoted in an error (`validator` masks)


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    params: tuple[Param, ...]
    body_required: bool = False
    media_types: tuple[str, ...] = ()
    body_validator: Any = None
    # The same schema, quoting no value in its messages: for a body that carries a password.
    # Made on first use (a refused body with a password is rare; every start-up is not).
    masked_body_validator: Callable[[], Any] | None = None
    secret_fields: frozenset[str] = frozenset()  # the contract's secret properties, by name
    credential_cookies: tuple[str, ...] = ()  # apiKey-in-cookie schemes its security allows
    extra: dict[str, Any] = field(default_factory=dict)


def with_integer_ranges(node: Any) -> Any:
    """A copy of a schema tree where `format: int32/int64` also carries its numeric range."""
    if isinstance(node, list):
        return [with_integer_ranges(item) for item in node]
    if not isinstance(node, dict):
        return node
    copy = {key: with_integer_ranges(value) for key, value in node.items()}
    bounds = (
        _INTEGER_FORMAT_RANGES.get(copy.get("format"))
        if "integer" in str(copy.get("type"))
        else None
    )
    if bounds is not None:
        copy.setdefault("minimum", bounds[0])
        copy.setdefault("maximum", bounds[1])
    return copy


def compile_schema(spec: dict[str, Any], schema: dict[str, Any], *, masked: bool = False) -> Any:
    """A validator of `schema`; `masked`: its messages show `FILTERED` for every value."""
    wrapper = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": with_integer_ranges(spec.get("components", {})),
        **with_integer_ranges(schema),
    }
    mask = FILTERED if masked else None
    return jsonschema_rs.validator_for(wrapper, validate_formats=True, mask=mask)


def _kind(spec: dict[str, Any], schema: dict[str, Any]) -> str:
    kind = resolve(spec, schema).get("type", "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    return str(kind)


def _compile_param(spec: dict[str, Any], raw: dict[str, Any]) -> Param:
    param = resolve(spec, raw)
    schema = param.get("schema", {})
    secret = is_secret(resolve(spec, schema) or {})
    return Param(
        name=param["name"],
        location=param["in"],
        required=bool(param.get("required", param["in"] == "path")),
        kind=_kind(spec, schema),
        default=resolve(spec, schema).get("default"),
        validator=compile_schema(spec, schema, masked=secret),
        key=param["name"].lower() if param["in"] == "header" else param["name"],
        secret=secret,
    )


def _credential_cookies(spec: dict[str, Any], op: dict[str, Any]) -> tuple[str, ...]:
    schemes = spec.get("components", {}).get("securitySchemes", {})
    names = []
    for requirement in op.get("security", spec.get("security", [])):
        for scheme_name in requirement:
            scheme = resolve(spec, schemes.get(scheme_name, {}))
            if scheme.get("type") == "apiKey" and scheme.get("in") == "cookie":
                names.append(scheme["name"])
    return tuple(names)


def compile_operations(spec: dict[str, Any]) -> list[Operation]:
    operations = []
    secrets = secret_field_names(spec)
    for found in iter_operations(spec):
        path, method, op, item = found.path, found.method, found.node, found.path_item
        shared = {
            (p["name"], p["in"]): p
            for p in map(lambda r: resolve(spec, r), item.get("parameters", []))
        }
        merged = dict(shared)
        merged.update(
            {(p["name"], p["in"]): p for p in (resolve(spec, r) for r in op.get("parameters", []))}
        )
        params = tuple(
            _compile_param(spec, p)
            for (name, where), p in merged.items()
            if where != "cookie" and not (where == "header" and name.lower() in _IGNORED_HEADERS)
        )
        body = resolve(spec, op.get("requestBody")) or {}
        content = body.get("content", {})
        json_schema = next((m.get("schema") for t, m in content.items() if "json" in t), None)
        body_validator = None if json_schema is None else compile_schema(spec, json_schema)
        masked = (
            None
            if json_schema is None
            else functools.cache(functools.partial(compile_schema, spec, json_schema, masked=True))
        )
        operations.append(
            Operation(
                operation_id=op["operationId"],
                method=method.upper(),
                path=path,
                params=params,
                body_required=bool(body.get("required", False)),
                media_types=tuple(content),
                body_validator=body_validator,
                masked_body_validator=masked,
                secret_fields=secrets,
                credential_cookies=_credential_cookies(spec, op),
            )
        )
    return operations


def _coerce(param: Param, raw: str) -> Any:
    if param.kind == "integer":
        if not _INTEGER.match(raw) or not INT64[0] <= int(raw) <= INT64[1]:
            raise ValueError("is not a 64-bit integer")
        return int(raw)
    if param.kind == "number":
        if not _NUMBER.match(raw):
            raise ValueError("is not a number")
        return float(raw)
    if param.kind == "boolean":
        if raw not in ("true", "false"):
            raise ValueError("must be true or false")
        return raw == "true"
    return raw


def _first_error(validator: Any, value: Any) -> Any:
    return next(iter(validator.iter_errors(value)), None)


def bind_params(
    op: Operation, path: dict[str, str], query: dict[str, str], headers: dict[str, str]
) -> dict[str, dict[str, Any]]:
    """Typed parameter values by location; ApiError 400 naming the parameter when invalid.
    ``query`` and ``headers`` are incoming.query_dict's and header_dict's."""
    sources = {"path": path, "query": query, "header": headers}
    bound: dict[str, dict[str, Any]] = {"path": {}, "query": {}, "header": {}}
    for param in op.params:
        raw = sources[param.location].get(param.key)
        if raw is None:
            if param.required:
                raise ApiError(400, f"Missing required {_where(param)}")
            if param.default is not None:
                bound[param.location][param.name] = param.default
            continue
        try:
            value = _coerce(param, raw)
        except ValueError as exc:
            shown = FILTERED if param.secret else repr(raw)
            raise ApiError(400, f"Invalid {_where(param)}: {shown} {exc}") from None
        if not param.validator.is_valid(value):  # the fast path; the message only when needed
            error = _first_error(param.validator, value)
            reason = error.message if error is not None else "does not match its schema"
            raise ApiError(400, f"Invalid {_where(param)}: {reason}")
        bound[param.location][param.name] = value
    return bound


def _where(param: Param) -> str:
    return f"{param.location} parameter '{param.name}'"


def _holds_secret(value: Any, names: frozenset[str]) -> bool:
    """Whether a JSON value has a property of one of these names, at any depth."""
    if isinstance(value, dict):
        return any(key in names or _holds_secret(item, names) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_secret(item, names) for item in value)
    return False


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_body(op: Operation, content_type: str | None, raw: bytes) -> Any:
    """The validated JSON body (None when the operation takes none); 400/415 otherwise."""
    if not op.media_types:
        return None
    if not raw:
        if op.body_required:
            raise ApiError(400, "A request body is required")
        return None
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type not in op.media_types:
        accepted = ", ".join(op.media_types)
        raise ApiError(415, f"Unsupported content type {media_type or '(none)'!r}; use {accepted}")
    try:
        body = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
        # Lone surrogates parse but cannot be stored or echoed as UTF-8.
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except (ValueError, RecursionError) as exc:
        raise ApiError(400, f"Malformed JSON body: {exc}") from None
    if op.body_validator is not None:
        error = _first_error(op.body_validator, body)
        if error is not None and op.masked_body_validator and _holds_secret(body, op.secret_fields):
            # A message may quote the body or any value of it (a password too short, an object
            # of the wrong type): the masked validator's quotes none.
            error = _first_error(op.masked_body_validator(), body)
        if error is not None:
            location = "/".join(str(p) for p in error.instance_path)
            where = f" at '{location}'" if location else ""
            raise ApiError(400, f"Invalid request body{where}: {error.message}")
    return body
