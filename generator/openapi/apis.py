"""Where the contract lives, and where default outputs go.

The contract is one folder per API (``<api>/openapi.yaml``). Which copy is read:

1. ``USERSAPI_PROJECT_ROOT`` (the CLI's ``--contract DIR`` sets it, so child processes agree):
   a checkout holding ``openapi/``, or that ``openapi/`` folder itself;
2. the checkout this package runs from (contract authors edit ``openapi/`` there);
3. the contract shipped inside the installed package (``generator/contract/``, mapped from
   ``openapi/`` at build time, see ``pyproject.toml``).

Default outputs (bundles, clients) go under ``build/`` in the current directory, never next to
the package: an installed tool must not write into ``site-packages``.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

API_NAMES: tuple[str, ...] = ("cloud-elements", "tyk-dashboard")
ROOT_FILE = "openapi.yaml"
CONTRACT_ENV = "USERSAPI_PROJECT_ROOT"
_CHECKOUT = Path(__file__).resolve().parents[2]


class ContractNotFound(Exception):
    """The folder named as the contract holds no API's root document."""


def contract_in(folder: Path) -> Path:
    """The contract folder in a checkout (``folder/openapi``) or ``folder`` itself."""
    for candidate in (folder / "openapi", folder):
        if any((candidate / api / ROOT_FILE).is_file() for api in API_NAMES):
            return candidate.resolve()
    expected = " or ".join(f"openapi/{api}/{ROOT_FILE}" for api in API_NAMES)
    raise ContractNotFound(f"{folder}: no contract here (expected {expected} in it or in openapi/)")


def _checkout_contract() -> Path | None:
    """``openapi/`` next to this package when it runs from a checkout (editable or not)."""
    if (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "openapi").is_dir():
        return _CHECKOUT / "openapi"
    return None


def _packaged_contract() -> Path:
    return Path(str(resources.files("generator") / "contract"))


def spec_dir() -> Path:
    """The folder holding one subfolder per API."""
    override = os.environ.get(CONTRACT_ENV)
    if override:
        return contract_in(Path(override))
    return _checkout_contract() or _packaged_contract()


def api_dir(name: str) -> Path:
    return spec_dir() / name


def api_root(name: str) -> Path:
    if name not in API_NAMES:
        raise KeyError(f"unknown API {name!r}; known: {', '.join(API_NAMES)}")
    return api_dir(name) / ROOT_FILE


def build_dir() -> Path:
    """Where default outputs go: ``build/`` in the current directory (absolute, so a tool run in
    another working directory gets the same folder)."""
    return Path.cwd() / "build"
