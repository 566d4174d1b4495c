"""Fixtures: the generated Python clients (fresh every session, in the session's own temporary
folder so parallel test workers never share one) and a live server."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from types import ModuleType

import pytest
from server_harness import RunningServer, running_server

from generator.clients import GenerationResult, generate_python_client


def import_generated(result: GenerationResult) -> ModuleType:
    """Import a generated package from the folder it was generated into, never a stale copy."""
    package = result.module
    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        del sys.modules[name]
    sys.path.insert(0, str(result.out_dir))
    importlib.invalidate_caches()
    return importlib.import_module(package)


@pytest.fixture(scope="session")
def python_clients(tmp_path_factory: pytest.TempPathFactory) -> dict[str, GenerationResult]:
    """Both Python clients, generated anew once per session (per worker, under pytest-xdist)."""
    out = tmp_path_factory.mktemp("python-clients")
    return {
        api: generate_python_client(api, out / api) for api in ("cloud-elements", "tyk-dashboard")
    }


@pytest.fixture(scope="session")
def python_packages(python_clients: dict[str, GenerationResult]) -> dict[str, ModuleType]:
    return {api: import_generated(result) for api, result in python_clients.items()}


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    with running_server() as running:
        yield running


@pytest.fixture(autouse=True, scope="session")
def _restore_sys_path() -> Iterator[None]:
    saved = list(sys.path)
    yield
    sys.path[:] = saved
