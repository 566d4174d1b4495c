"""The CLI, run in-process: exit codes and output of validate and bundle."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from generator.cli import cli


def test_validate_real_contract_exits_zero() -> None:
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 0, result.output
    assert "cloud-elements: ok" in result.output
    assert "tyk-dashboard: ok" in result.output


def test_validate_unknown_api_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["validate", "petstore"])
    assert result.exit_code == 2
    assert "petstore" in result.output


def test_bundle_writes_json_by_extension(tmp_path: Path) -> None:
    target = tmp_path / "ce.json"
    result = CliRunner().invoke(cli, ["bundle", "cloud-elements", "-o", str(target)])
    assert result.exit_code == 0, result.output
    document = json.loads(target.read_text())
    assert document["openapi"].startswith("3.1")
    assert "User" in document["components"]["schemas"]


def test_bundle_writes_yaml_without_external_refs(tmp_path: Path) -> None:
    target = tmp_path / "tyk.yaml"
    result = CliRunner().invoke(cli, ["bundle", "tyk-dashboard", "-o", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert ".yaml" not in "".join(line for line in text.splitlines() if "$ref" in line)
    assert yaml.safe_load(text)["paths"]
