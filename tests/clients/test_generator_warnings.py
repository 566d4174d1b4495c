"""Generator warnings are collected, so "zero warnings" in the client tests means something."""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.clients import generate_python_client_from, parse_python_warnings

AWKWARD = {
    "openapi": "3.1.0",
    "info": {"title": "Awkward", "version": "1"},
    "paths": {
        "/things": {
            "get": {
                "operationId": "listThings",
                "parameters": [
                    {"name": "kind", "in": "query", "schema": {"enum": [1, "one"]}},
                    {"name": "crumb", "in": "cookie", "schema": {"type": "string"}},
                ],
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
}


def test_real_generator_warnings_are_reported(tmp_path: Path) -> None:
    spec = tmp_path / "awkward.yaml"
    spec.write_text(yaml.safe_dump(AWKWARD), encoding="utf-8")
    result = generate_python_client_from(spec, tmp_path / "out", "awkward_client")
    assert len(result.warnings) >= 1, result
    text = "\n".join(result.warnings)
    assert "GET /things" in text and "Endpoint will not be generated" in text
    assert (result.out_dir / "awkward_client" / "__init__.py").exists()


def test_warning_blocks_are_split_per_warning() -> None:
    stderr = (
        "Warning(s) encountered while generating. Client was generated, but some pieces may be"
        " missing\n\n"
        "Skipping Integration\n\nruff is not in PATH\n\n\n"
        "Unable to parse this part of your OpenAPI document: \n\nbad enum\n\n"
        '{\n  "enum": [1, "one"]\n}\n\n'
        "If you believe this was a mistake or this tool is missing a feature you need, please"
        " open an issue at https://example.invalid\n"
    )
    assert parse_python_warnings(stderr) == [
        "Skipping Integration\nruff is not in PATH",
        'Unable to parse this part of your OpenAPI document:\nbad enum\n{\n  "enum": [1, "one"]\n}',
    ]
    assert parse_python_warnings("Generating awkward_client\n") == []
