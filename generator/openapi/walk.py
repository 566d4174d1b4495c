"""Walk the parts of a bundled OpenAPI document that several consumers need."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from generator.openapi.refs import UnresolvedRef, resolve, resolve_pointer
from generator.openapi.yaml_source import Pointer

# The operations of a path item, in the order OpenAPI lists them: the one list every layer uses.
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SCHEMA_CHILD_MAPS = ("properties", "patternProperties", "$defs")
_SCHEMA_CHILD_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_CHILDREN = ("items", "additionalProperties", "not", "contains", "if", "then", "else")


@dataclass(frozen=True)
class Operation:
    path: str
    method: str
    node: dict[str, Any]
    path_item: dict[str, Any]

    @property
    def pointer(self) -> Pointer:
        return ("paths", self.path, self.method)

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


def iter_operations(
    document: dict[str, Any], *, document_order: bool = False
) -> Iterator[Operation]:
    """Every operation, path by path; within a path item in HTTP_METHODS order, or in the order
    the contract writes them (``document_order``). A path item that is a ref is followed; one
    that does not resolve holds no operation."""
    for path, raw_item in (document.get("paths") or {}).items():
        try:
            item = resolve(document, raw_item)
        except UnresolvedRef:
            continue
        if not isinstance(item, dict):
            continue
        methods = [key for key in item if key in HTTP_METHODS] if document_order else HTTP_METHODS
        for method in methods:
            operation = item.get(method)
            if isinstance(operation, dict):
                yield Operation(path, method, operation, item)


def find_operation(document: dict[str, Any], operation_id: str) -> Operation | None:
    """The operation with this operationId, if the contract has one."""
    for operation in iter_operations(document):
        if operation.node.get("operationId") == operation_id:
            return operation
    return None


def iter_schemas(node: Any, pointer: Pointer) -> Iterator[tuple[Pointer, dict[str, Any]]]:
    """A schema and every subschema below it (not following $ref)."""
    if not isinstance(node, dict):
        return
    yield pointer, node
    for key in _SCHEMA_CHILD_MAPS:
        children = node.get(key)
        if isinstance(children, dict):
            for name, child in children.items():
                yield from iter_schemas(child, (*pointer, key, name))
    for key in _SCHEMA_CHILD_LISTS:
        children = node.get(key)
        if isinstance(children, list):
            for index, child in enumerate(children):
                yield from iter_schemas(child, (*pointer, key, index))
    for key in _SCHEMA_CHILDREN:
        yield from iter_schemas(node.get(key), (*pointer, key))


def iter_schema_roots(
    document: dict[str, Any], holders: Iterable[tuple[Pointer, dict[str, Any]]] | None = None
) -> Iterator[tuple[Pointer, dict[str, Any]]]:
    """Every place a schema starts: components, parameters, headers and media types.
    ``holders``: the document's ``iter_schema_holders``, when already walked."""
    components = document.get("components") or {}
    for name, schema in (components.get("schemas") or {}).items():
        if isinstance(schema, dict):
            yield ("components", "schemas", name), schema
    for pointer, holder in iter_schema_holders(document) if holders is None else holders:
        schema = holder.get("schema")
        if isinstance(schema, dict):
            yield (*pointer, "schema"), schema


def iter_schema_holders(document: dict[str, Any]) -> Iterator[tuple[Pointer, dict[str, Any]]]:
    """Parameters, headers and media type objects: the things with a ``schema`` and examples."""

    def visit(node: Any, pointer: Pointer) -> Iterator[tuple[Pointer, dict[str, Any]]]:
        if isinstance(node, dict):
            if "schema" in node and isinstance(node.get("schema"), dict):
                yield pointer, node
            for key, value in node.items():
                if key in ("schema", "examples", "example"):
                    continue
                yield from visit(value, (*pointer, key))
        elif isinstance(node, list):
            for index, item in enumerate(node):
                yield from visit(item, (*pointer, index))

    yield from visit(document.get("paths") or {}, ("paths",))
    components = document.get("components") or {}
    for kind in ("parameters", "headers", "responses", "requestBodies"):
        yield from visit(components.get(kind) or {}, ("components", kind))


def schema_parts(document: dict[str, Any], schema: Any) -> list[dict[str, Any]]:
    """A schema, the schemas its $ref leads to and its allOf/anyOf/oneOf members, flattened."""
    parts: list[dict[str, Any]] = []
    stack = [schema]
    while stack and len(parts) < 256:
        node = stack.pop()
        if not isinstance(node, dict) or any(node is part for part in parts):
            continue
        parts.append(node)
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            with contextlib.suppress(KeyError, TypeError):
                stack.append(resolve_pointer(document, ref))
        for key in ("allOf", "anyOf", "oneOf"):
            members = node.get(key)
            stack.extend(members if isinstance(members, list) else [])
    return parts


def declared_properties(document: dict[str, Any], schema: Any) -> dict[str, Any]:
    """name -> property schema of every property a schema declares, its allOf/anyOf/oneOf
    members' included (a body composed of `UserAddress` and its own fields declares both)."""
    found: dict[str, Any] = {}
    for part in schema_parts(document, schema):
        properties = part.get("properties")
        for name, prop in (properties if isinstance(properties, dict) else {}).items():
            found.setdefault(name, prop)
    return found
