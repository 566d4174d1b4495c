"""Code samples: the auth header form comes from each API's security scheme."""

from __future__ import annotations

import ast
import json
from typing import Any

from generator.docs.model import build_view
from generator.docs.samples import auth_header

CE_VALUE = "User <user secret>, Organization <organization secret>"


def test_auth_header_from_scheme_descriptions(bundled_specs: dict[str, dict[str, Any]]) -> None:
    ce = bundled_specs["cloud-elements"]["components"]["securitySchemes"]
    assert [auth_header(n, s) for n, s in ce.items()] == [("Authorization", CE_VALUE)]
    tyk = bundled_specs["tyk-dashboard"]["components"]["securitySchemes"]
    for name, scheme in tyk.items():  # the access key header, and the session cookie of /me
        header, value = auth_header(name, scheme)
        assert header == ("Authorization" if scheme["in"] == "header" else "authorisation")
        assert value.startswith("<") and value.endswith(">"), value


def test_auth_header_other_scheme_kinds() -> None:
    assert auth_header("b", {"type": "http", "scheme": "bearer"}) == (
        "Authorization",
        "Bearer <token>",
    )
    assert auth_header("AccessKey", {"type": "apiKey", "in": "header", "name": "X-Key"}) == (
        "X-Key",
        "<access key>",
    )
    explicit = {"type": "apiKey", "name": "Authorization", "x-auth-value": "<access key>"}
    assert auth_header("k", explicit) == ("Authorization", "<access key>")


def test_every_operation_has_three_valid_samples(bundled_specs: dict[str, dict[str, Any]]) -> None:
    for name, spec in bundled_specs.items():
        view = build_view(name, spec)
        scheme = view.schemes[0]
        for operation in view.operations:
            labels = [s.label for s in operation.samples]
            assert labels == ["curl", "Python (httpx)", "JavaScript (fetch)"]
            curl, python, javascript = (s.text for s in operation.samples)
            header = f"{scheme.header_name}: {scheme.header_value}"
            assert header in curl and scheme.header_value in python and header not in ""
            assert f"-X {operation.method.upper()}" in curl
            ast.parse(python)  # the Python sample is valid Python
            assert f'method: "{operation.method.upper()}"' in javascript
            assert "{" not in curl.split("'")[1], "path template left in the URL"
            if operation.request_body is not None and operation.request_body.examples:
                body = operation.request_body.examples[0].value
                assert json.dumps(body, indent=2, ensure_ascii=False) in curl
