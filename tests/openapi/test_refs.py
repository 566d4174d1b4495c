"""The one $ref resolver: follows chains, and refuses missing, non-local and cyclic refs alike."""

from __future__ import annotations

import pytest

from generator.openapi.refs import UnresolvedRef, resolve, resolve_pointer

DOCUMENT = {
    "components": {
        "schemas": {
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"type": "string"},
            "a/b": {"type": "integer"},
            "Loop1": {"$ref": "#/components/schemas/Loop2"},
            "Loop2": {"$ref": "#/components/schemas/Loop1"},
            "Broken": {"$ref": "#/components/schemas/Nowhere"},
        }
    },
    "list": [{"x": 1}],
}


def test_a_chain_of_refs_leads_to_its_target() -> None:
    assert resolve(DOCUMENT, {"$ref": "#/components/schemas/A"}) == {"type": "string"}
    assert resolve(DOCUMENT, {"type": "boolean"}) == {"type": "boolean"}
    assert resolve_pointer(DOCUMENT, "#/components/schemas/a~1b") == {"type": "integer"}
    assert resolve_pointer(DOCUMENT, "#/list/0") == {"x": 1}


@pytest.mark.parametrize(
    ("ref", "why"),
    [
        ("#/components/schemas/Nowhere", "points nowhere"),
        ("#/components/schemas/Broken", "points nowhere"),
        ("#/components/schemas/Loop1", "is part of a cycle of refs"),
        ("other.yaml#/components/schemas/B", "is not a local ref"),
        ("#/list/7", "points nowhere"),
    ],
)
def test_every_unresolvable_ref_raises_the_same_error(ref: str, why: str) -> None:
    with pytest.raises(UnresolvedRef) as raised:
        resolve(DOCUMENT, {"$ref": ref})
    assert why in str(raised.value)
    assert isinstance(raised.value, KeyError)
