"""The CLI, run in-process: exit codes and output of validate and bundle."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner

from generator import __version__
from generator.cli import cli
from generator.spec.apis import API_NAMES, CONTRACT_ENV, spec_dir

# The command sets the variable for the processes it starts; the runner restores it afterwards.
ISOLATED = {CONTRACT_ENV: None}


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


def test_version_shows_the_tool_and_each_contract_version_read_from_its_file() -> None:
    result = CliRunner().invoke(cli, ["--version"], env=ISOLATED)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"usersapi {__version__}\n")
    for api in API_NAMES:
        root = yaml.safe_load((spec_dir() / api / "openapi.yaml").read_text(encoding="utf-8"))
        assert f"{api} contract {root['info']['version']}\n" in result.output


def _broken_copy(tmp_path: Path) -> tuple[Path, int]:
    """A checkout-like folder whose Tyk root document has a title that is not a string."""
    shutil.copytree(spec_dir(), tmp_path / "openapi")
    root = tmp_path / "openapi" / "tyk-dashboard" / "openapi.yaml"
    lines = root.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("  title:"))
    lines[line - 1] = "  title: 7"
    root.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root, line


def test_contract_option_points_validate_at_another_checkout(tmp_path: Path) -> None:
    root, line = _broken_copy(tmp_path)
    for folder in (tmp_path, tmp_path / "openapi"):  # the checkout or its openapi/ folder
        args = ["--contract", str(folder), "validate", "tyk-dashboard"]
        result = CliRunner().invoke(cli, args, env=ISOLATED)
        assert result.exit_code == 1, result.output
        assert f"{root.name}:{line}:3: oas-schema:" in result.output
        assert str(tmp_path.name) in result.output


def test_validate_github_format_prints_annotations(tmp_path: Path) -> None:
    root, line = _broken_copy(tmp_path)
    args = ["--contract", str(tmp_path), "validate", "tyk-dashboard", "--format", "github"]
    result = CliRunner().invoke(cli, args, env=ISOLATED)
    assert result.exit_code == 1, result.output
    annotation = next(text for text in result.output.splitlines() if text.startswith("::"))
    assert annotation.startswith("::error file=")
    assert f"tyk-dashboard/openapi.yaml,line={line},col=3,title=oas-schema::" in annotation


def test_a_folder_without_a_contract_is_a_usage_error(tmp_path: Path) -> None:
    for args, env in (
        (["--contract", str(tmp_path), "validate"], ISOLATED),
        (["validate"], {CONTRACT_ENV: str(tmp_path)}),
        (["--version"], {CONTRACT_ENV: str(tmp_path)}),
    ):
        result = CliRunner().invoke(cli, args, env=env)
        assert result.exit_code == 2, result.output
        assert f"{tmp_path}: no contract here" in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
