"""Which properties the contract calls secret: `writeOnly` or `format: password`.

Their values are passwords. The reference server keeps them out of its error messages, the
proxy out of its reports, and the suite looks for them in answers (`conformance/canaries.py`).
"""

from __future__ import annotations

from typing import Any

from generator.openapi.refs import UnresolvedRef, resolve
from generator.openapi.walk import iter_schema_roots, iter_schemas


def is_secret(schema: dict[str, Any]) -> bool:
    return bool(schema.get("writeOnly")) or schema.get("format") == "password"


def secret_field_names(spec: dict[str, Any]) -> frozenset[str]:
    """Every property the contract marks secret anywhere, at any depth of any schema: the
    fields whose values no report may show, whatever request carries them (one to a path the
    contract does not document holds a real password all the same)."""
    found = set()
    for pointer, root in iter_schema_roots(spec):
        for _, schema in iter_schemas(root, pointer):
            properties = schema.get("properties")
            for name, prop in (properties if isinstance(properties, dict) else {}).items():
                if is_secret(_resolved(spec, prop)):
                    found.add(str(name))
    return frozenset(found)


def _resolved(spec: dict[str, Any], node: Any) -> dict[str, Any]:
    """The schema a property's ref leads to; an empty one for a ref that leads nowhere."""
    try:
        target = resolve(spec, node)
    except UnresolvedRef:
        return {}
    return target if isinstance(target, dict) else {}
