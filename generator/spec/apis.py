"""Where the contract lives: one folder per API under ``openapi/``."""

from __future__ import annotations

import os
from pathlib import Path

API_NAMES: tuple[str, ...] = ("cloud-elements", "tyk-dashboard")
ROOT_FILE = "openapi.yaml"


def project_root() -> Path:
    """The checkout holding ``openapi/``; ``USERSAPI_PROJECT_ROOT`` overrides it."""
    override = os.environ.get("USERSAPI_PROJECT_ROOT")
    if override:
        return Path(override).resolve()
    return Path(__file__).resolve().parents[2]


def spec_dir() -> Path:
    return project_root() / "openapi"


def api_dir(name: str) -> Path:
    return spec_dir() / name


def api_root(name: str) -> Path:
    if name not in API_NAMES:
        raise KeyError(f"unknown API {name!r}; known: {', '.join(API_NAMES)}")
    return api_dir(name) / ROOT_FILE


def build_dir() -> Path:
    return project_root() / "build"
