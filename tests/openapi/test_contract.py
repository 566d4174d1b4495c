"""The real contract: zero findings, self-contained bundles, the structure the issues ask for."""

from __future__ import annotations

import pytest

from generator.openapi.apis import API_NAMES
from generator.openapi.bundle import bundle_api
from generator.openapi.structure import iter_local_refs
from generator.openapi.validate import validate_api
from generator.openapi.walk import iter_operations


@pytest.mark.parametrize("api", API_NAMES)
def test_contract_has_zero_findings(api: str) -> None:
    findings = validate_api(api)
    assert findings == [], "\n".join(f.format() for f in findings)


@pytest.mark.parametrize("api", API_NAMES)
def test_bundle_is_self_contained(api: str) -> None:
    document = bundle_api(api)
    refs = [ref for _, ref in iter_local_refs(document)]
    assert refs, "the bundle keeps named components instead of dereferencing them"
    assert all(ref.startswith("#/components/") for ref in refs), refs


@pytest.mark.parametrize("api", API_NAMES)
def test_create_responses_link_to_other_operations(api: str) -> None:
    document = bundle_api(api)
    creates = [
        op
        for op in iter_operations(document)
        if op.method == "post" and "create" in op.node["operationId"].lower()
    ]
    assert creates
    for operation in creates:
        linked = set()
        for response in operation.node["responses"].values():
            if "$ref" in response:
                response = document["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
            for link in (response.get("links") or {}).values():
                if "$ref" in link:
                    name = link["$ref"].rsplit("/", 1)[-1]
                    link = document["components"]["links"][name]
                linked.add(link["operationId"])
        assert {op for op in linked if op.startswith(("get", "update", "delete"))}, linked


@pytest.mark.parametrize("api", API_NAMES)
def test_every_operation_has_a_named_success_example(api: str) -> None:
    document = bundle_api(api)
    for operation in iter_operations(document):
        for code, response in operation.node["responses"].items():
            if not str(code).startswith("2"):
                continue
            if "$ref" in response:
                response = document["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
            for media in (response.get("content") or {}).values():
                assert media.get("examples"), f"{operation.label} {code} has no named example"
