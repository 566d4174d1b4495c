"""The CLI, run in-process: exit codes and output of validate, bundle and docs."""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator import __version__
from generator.cli import cli
from generator.openapi.apis import API_NAMES, CONTRACT_ENV, spec_dir

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


# A command that cannot go on prints its message as written (no "Error:" prefix) on stderr and
# exits with its own code: 1 for a broken contract or a taken port, 2 for input it cannot use.


def test_docs_on_a_broken_contract_lists_the_findings_and_exits_1(tmp_path: Path) -> None:
    root, line = _broken_copy(tmp_path)
    args = ["--contract", str(tmp_path), "docs", "--output", str(tmp_path / "site")]
    result = CliRunner().invoke(cli, args, env=ISOLATED)
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert any(f"{root.name}:{line}:3: oas-schema:" in text for text in lines)
    assert lines[-1].startswith("tyk-dashboard: the contract has ")
    assert lines[-1].endswith(" finding(s); fix them first")
    assert "Error" not in result.stderr
    assert not (tmp_path / "site").exists()


def test_serve_on_a_taken_port_says_so_and_exits_1(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        args = ["serve", "--port", str(port), "--db", str(tmp_path / "users.sqlite3")]
        result = CliRunner().invoke(cli, args, env=ISOLATED)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"usersapi serve: cannot listen on 127.0.0.1:{port}: ")
    assert result.stderr.endswith("; choose another --port\n")


def test_test_command_setup_errors_exit_2_with_their_message(tmp_path: Path) -> None:
    with socket.socket() as closed:  # bound, never listening: connections are refused
        closed.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{closed.getsockname()[1]}"
        unreachable = CliRunner().invoke(
            cli, ["test", "tyk-dashboard", "--base-url", url], env=ISOLATED
        )
    assert unreachable.exit_code == 2, unreachable.output
    assert unreachable.stderr.startswith(f"usersapi test: cannot reach {url}")
    a_file = tmp_path / "file"
    a_file.write_text("", encoding="utf-8")
    args = ["test", "tyk-dashboard", "--report", str(a_file / "report")]
    no_report = CliRunner().invoke(cli, args, env=ISOLATED)
    assert no_report.exit_code == 2, no_report.output
    assert no_report.stderr == (
        f"usersapi test: cannot write reports to {a_file / 'report'}: Not a directory\n"
    )


def test_docs_renders_given_bundles_as_the_contract_renders_them(tmp_path: Path) -> None:
    """The same site, byte for byte, as render_site gives the bundled documents (without the
    Changes pages, which read the contract's history): JSON and YAML bundles alike."""
    from generator.docs import render_site
    from generator.openapi.bundle import bundle_api

    files = [tmp_path / "cloud-elements.json", tmp_path / "tyk-dashboard.yaml"]
    for api, path in zip(API_NAMES, files, strict=True):
        assert CliRunner().invoke(cli, ["bundle", api, "-o", str(path)]).exit_code == 0
    args = ["docs", "-o", str(tmp_path / "site")] + [f"--bundle={path}" for path in files]
    result = CliRunner().invoke(cli, args, env=ISOLATED)
    assert result.exit_code == 0, result.output
    render_site({api: bundle_api(api) for api in API_NAMES}, tmp_path / "expected")
    written = sorted(p.relative_to(tmp_path / "site") for p in (tmp_path / "site").rglob("*"))
    expected = sorted(
        p.relative_to(tmp_path / "expected") for p in (tmp_path / "expected").rglob("*")
    )
    assert written == expected
    for relative in written:
        if (tmp_path / "expected" / relative).is_file():
            assert (tmp_path / "site" / relative).read_bytes() == (
                tmp_path / "expected" / relative
            ).read_bytes(), relative


def _bundle_args(tmp_path: Path, *contents: str) -> list[str]:
    args = ["docs", "-o", str(tmp_path / "site")]
    for number, content in enumerate(contents):
        path = tmp_path / str(number) / "api.json"  # each its own folder, all named alike
        path.parent.mkdir()
        path.write_text(content, encoding="utf-8")
        args.append(f"--bundle={path}")
    return args


GIVEN = '{"openapi": "3.1.0", "info": {"title": "Given", "version": "1"}, "paths": {}}'


@pytest.mark.parametrize(
    "args, message",
    [
        (["{"], "not JSON: "),
        (["[]"], "not an OpenAPI 3 document"),
        (['{"openapi": "3.1.0", "info": 5, "paths": {}}'], "cannot render "),
        (['{"openapi": "3.1.0", "info": 5, "paths": {}}'], '/info: 5 is not of type "object"'),
        ([GIVEN, GIVEN], "another bundle's pages already go to api/"),
    ],
    ids=["not JSON", "not OpenAPI", "not of OpenAPI's shape", "where", "two bundles, one folder"],
)
def test_docs_refuses_a_bundle_it_cannot_render_and_exits_2(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = CliRunner().invoke(cli, _bundle_args(tmp_path, *args), env=ISOLATED)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_docs_of_a_bundle_has_no_history_to_list_changes_from(tmp_path: Path) -> None:
    args = [*_bundle_args(tmp_path, GIVEN), "--changes-since", "HEAD"]
    result = CliRunner().invoke(cli, args, env=ISOLATED)
    assert result.exit_code == 2, result.output
    assert "--changes-since" in result.stderr
    assert not (tmp_path / "site").exists()


def test_docs_help_names_the_bundle_option() -> None:
    result = CliRunner().invoke(cli, ["docs", "--help"])
    assert result.exit_code == 0
    assert "--bundle FILE" in result.output
