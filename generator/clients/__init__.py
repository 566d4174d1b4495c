"""Generate API clients from the bundled contract, one module per language: Python
(openapi-python-client, `python.py`), TypeScript (openapi-typescript and openapi-fetch,
`typescript.py`).

Both generators run as subprocesses on the bundle written to ``build/bundles/<api>.yaml``, so what
they read is exactly what the docs and the reference server read. Whatever a generator prints
about the contract is returned as ``warnings``: the goal is none, and the tests hold us to it.
A generator that fails outright raises ``ClientGenerationError`` with its output.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.clients.common import (
    ClientGenerationError,
    GenerationResult,
    default_client_dir,
    write_bundle,
)
from generator.clients.python import (
    generate_python_client,
    generate_python_client_from,
    parse_python_warnings,
    python_package_name,
)
from generator.clients.typescript import (
    ensure_npm_tools,
    generate_typescript_client,
    npm_available,
    type_check,
)
from generator.openapi.apis import API_NAMES

LANGUAGES: tuple[str, ...] = ("python", "typescript")
__all__ = [
    "LANGUAGES",
    "ClientGenerationError",
    "GenerationResult",
    "default_client_dir",
    "ensure_npm_tools",
    "generate_clients",
    "generate_python_client",
    "generate_python_client_from",
    "generate_typescript_client",
    "npm_available",
    "parse_python_warnings",
    "python_package_name",
    "type_check",
    "write_bundle",
]


def generate_clients(
    apis: Iterable[str] = API_NAMES, languages: Iterable[str] = LANGUAGES
) -> list[GenerationResult]:
    """Every requested client into build/clients/<language>/<api>/."""
    generators = {"python": generate_python_client, "typescript": generate_typescript_client}
    results = []
    for language in languages:
        for api in apis:
            results.append(generators[language](api, default_client_dir(language, api)))
    return results
