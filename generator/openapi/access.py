"""readOnly and writeOnly in examples: a request example may not hold a readOnly property, a
response example no writeOnly one (like Redocly's `no-invalid-media-type-examples`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.openapi.bundle import Bundle
from generator.openapi.examples import MISSING, example_value
from generator.openapi.findings import Finding
from generator.openapi.walk import schema_parts
from generator.openapi.yaml_source import Pointer


def access_findings(bundle: Bundle) -> Iterator[Finding]:
    document = bundle.document
    for holder_pointer, holder in bundle.schema_holders():
        direction = _direction(holder_pointer)
        schema = holder.get("schema")
        if direction is None or not isinstance(schema, dict):
            continue
        flag = "readOnly" if direction == "request" else "writeOnly"
        examples = []
        if "example" in holder:
            examples.append(((*holder_pointer, "example"), holder["example"], "example"))
        for name, example in (holder.get("examples") or {}).items():
            value, label = example_value(document, example, name)
            if value is not MISSING:
                examples.append(((*holder_pointer, "examples", name), value, f"example {label}"))
        for pointer, value, label in examples:
            for where in sorted(set(_flagged(document, schema, value, flag, ""))):
                yield bundle.finding(
                    pointer,
                    "example-access",
                    f"{label} of a {direction} holds the {flag} property {where}",
                )


def _direction(pointer: Pointer) -> str | None:
    if "responses" in pointer or pointer[:2] == ("components", "headers"):
        return "response"
    if "requestBody" in pointer or "parameters" in pointer or "requestBodies" in pointer:
        return "request"
    return None


def _flagged(
    document: dict[str, Any], schema: Any, value: Any, flag: str, path: str, depth: int = 0
) -> Iterator[str]:
    """JSON pointers of the values in `value` whose property schema carries `flag`."""
    if depth > 32:
        return
    parts = schema_parts(document, schema)
    if isinstance(value, dict):
        for name, item in value.items():
            subs = [
                part["properties"][name]
                for part in parts
                if isinstance(part.get("properties"), dict) and name in part["properties"]
            ]
            where = f"{path}/{name}"
            if any(p.get(flag) is True for s in subs for p in schema_parts(document, s)):
                yield where
            elif subs:
                yield from _flagged(document, subs[0], item, flag, where, depth + 1)
    elif isinstance(value, list):
        items = [part["items"] for part in parts if isinstance(part.get("items"), dict)]
        for index, item in enumerate(value if items else []):
            yield from _flagged(document, items[0], item, flag, f"{path}/{index}", depth + 1)
