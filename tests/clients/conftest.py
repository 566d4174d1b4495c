"""Fixtures: the generated Python clients (fresh in build/ every session) and a live server."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from types import ModuleType

import pytest
from server_harness import RunningServer, running_server

from generator.clients import GenerationResult, default_client_dir, generate_python_client


def import_generated(result: GenerationResult) -> ModuleType:
    """Import a generated package from its folder under build/, never a stale copy."""
    package = result.module
    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        del sys.modules[name]
    sys.path.insert(0, str(result.out_dir))
    importlib.invalidate_caches()
    return importlib.import_module(package)


@pytest.fixture(scope="session")
def python_clients() -> dict[str, GenerationResult]:
    """Both Python clients, generated anew (the generator replaces the folder) once per session."""
    return {
        api: generate_python_client(api, default_client_dir("python", api))
        for api in ("cloud-elements", "tyk-dashboard")
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
