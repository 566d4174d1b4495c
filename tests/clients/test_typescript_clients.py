"""The TypeScript clients type-check with tsc and drive a user lifecycle against the server.

Skipped without npm. Each flow (tests/clients/typescript/<api>.flow.ts) is compiled next to a
copy of the generated client, so a contract change that breaks the typed calls fails tsc, and
`@ts-expect-error` lines prove the types are strict rather than `any`.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from locks import exclusive
from server_harness import RunningServer

from generator.clients import (
    GenerationResult,
    ensure_npm_tools,
    generate_typescript_client,
    npm_available,
    type_check,
)

pytestmark = pytest.mark.skipif(not npm_available(), reason="npm and node are not installed")
FLOWS = Path(__file__).parent / "typescript"
APIS = ("cloud-elements", "tyk-dashboard")


@pytest.fixture(scope="module")
def typescript_clients(tmp_path_factory: pytest.TempPathFactory) -> dict[str, GenerationResult]:
    out = tmp_path_factory.mktemp("typescript-clients")
    with exclusive("npm-clients"):  # one npm install at a time, whichever worker asks first
        ensure_npm_tools()
    return {api: generate_typescript_client(api, out / api) for api in APIS}


@pytest.mark.parametrize("api", APIS)
def test_generated_client_type_checks_without_warnings(
    typescript_clients: dict[str, GenerationResult], api: str
) -> None:
    result = typescript_clients[api]
    assert result.warnings == []
    # generate_typescript_client ran tsc itself; its output proves the module compiled.
    assert (result.out_dir / "dist" / "client.js").exists()
    module = (result.out_dir / "client.ts").read_text()
    assert "export function createApiClient" in module
    assert "export type User = " in module
    assert "export type Error " not in module  # would shadow the global Error for importers


def _flow_project(result: GenerationResult, tmp_path: Path) -> Path:
    project = tmp_path / result.api
    project.mkdir()
    for name in ("schema.ts", "client.ts", "tsconfig.json", "package.json"):
        shutil.copy(result.out_dir / name, project / name)
    (project / "node_modules").symlink_to(ensure_npm_tools(), target_is_directory=True)
    shutil.copy(FLOWS / f"{result.api}.flow.ts", project / f"{result.api}.flow.ts")
    type_check(project, ensure_npm_tools())
    return project


def _node(project: Path, script: str, *args: str) -> str:
    done = subprocess.run(
        ["node", str(project / "dist" / script), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_cloud_elements_flow(
    typescript_clients: dict[str, GenerationResult], server: RunningServer, tmp_path: Path
) -> None:
    project = _flow_project(typescript_clients["cloud-elements"], tmp_path)
    creds = server.credentials["cloud-elements"]
    out = _node(
        project,
        "cloud-elements.flow.js",
        creds["base_url"],
        creds["Authorization"],
        str(creds["default_account_id"]),
    )
    assert "cloud-elements flow ok" in out


def test_tyk_dashboard_flow(
    typescript_clients: dict[str, GenerationResult], server: RunningServer, tmp_path: Path
) -> None:
    project = _flow_project(typescript_clients["tyk-dashboard"], tmp_path)
    creds = server.credentials["tyk-dashboard"]
    out = _node(project, "tyk-dashboard.flow.js", creds["base_url"], creds["Authorization"])
    assert "tyk-dashboard flow ok" in out
