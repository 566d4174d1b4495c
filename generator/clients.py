"""Generate API clients from the bundled contract: Python (openapi-python-client), TypeScript.

Both generators run as subprocesses on the bundle written to ``build/bundles/<api>.yaml``, so what
they read is exactly what the docs and the reference server read. Whatever a generator prints
about the contract is returned as ``warnings``: the goal is none, and the tests hold us to it.
A generator that fails outright raises ``ClientGenerationError`` with its output.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.spec.apis import API_NAMES, build_dir
from generator.spec.bundle import default_bundle_path, dump_document, load_bundle

LANGUAGES: tuple[str, ...] = ("python", "typescript")
# Pinned majors: a new major of any of them may change the generated code under our feet.
NPM_TOOLS: tuple[str, ...] = ("openapi-typescript@^7", "openapi-fetch@^0.17", "typescript@^5")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class ClientGenerationError(Exception):
    """A generator or the type checker failed; the message carries its output."""


@dataclass(frozen=True)
class GenerationResult:
    api: str
    language: str  # "python" | "typescript"
    out_dir: Path  # the generated project
    module: str  # Python: the import name; TypeScript: the client module's file name
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


def python_package_name(api: str) -> str:
    return api.replace("-", "_") + "_client"


def default_client_dir(language: str, api: str) -> Path:
    return build_dir() / "clients" / language / api


def write_bundle(api: str) -> tuple[Path, dict[str, Any]]:
    """Bundle one API to build/bundles/<api>.yaml (SpecError when the contract is broken)."""
    path, document = default_bundle_path(api), load_bundle(api).document
    dump_document(document, path)
    return path, document


def _run(
    command: Sequence[str], cwd: Path | None = None, timeout: float = 300
) -> tuple[int, str, str]:
    try:
        done = subprocess.run(
            list(command),
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env={**os.environ, "NO_COLOR": "1"},  # colour codes only get in the way of parsing
        )
    except FileNotFoundError as error:
        raise ClientGenerationError(f"{command[0]}: not found ({error})") from None
    except subprocess.TimeoutExpired:
        raise ClientGenerationError(f"{shlex.join(command)}: timed out after {timeout}s") from None
    return done.returncode, _ANSI.sub("", done.stdout), _ANSI.sub("", done.stderr)


# --- Python -------------------------------------------------------------------------------


def _venv_tool(name: str) -> str:
    """A console script next to the running interpreter, else on PATH (the venv may be inactive)."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    return shutil.which(name) or name


def parse_python_warnings(stderr: str) -> list[str]:
    """The warnings openapi-python-client printed, one string per warning.

    It prints a banner, then per warning a header, a detail and maybe a JSON dump of the
    offending part, separated by blank lines; a warning ends after its JSON dump or after two
    blank lines. The closing line points at its issue tracker and is dropped.
    """
    lines = stderr.splitlines()
    banner = [i for i, line in enumerate(lines) if "encountered while generating" in line]
    if not banner:
        return []
    start = banner[0] + 1
    warnings: list[str] = []
    current: list[str] = []
    paragraph: list[str] = []
    blanks = 0

    def close_paragraph() -> None:
        nonlocal paragraph
        if paragraph:
            current.append("\n".join(paragraph))
            paragraph = []

    def close_warning() -> None:
        nonlocal current
        close_paragraph()
        if current:
            warnings.append("\n".join(current))
            current = []

    for line in lines[start:]:
        if line.startswith("If you believe this was a mistake"):
            break
        if not line.strip():
            blanks += 1
            if blanks >= 2 or (paragraph and paragraph[0].startswith("{")):
                close_warning()
            else:
                close_paragraph()
            continue
        blanks = 0
        paragraph.append(line.rstrip())
    close_warning()
    return warnings


def generate_python_client_from(
    spec: Path, out_dir: Path, package: str, api: str = ""
) -> GenerationResult:
    """Run openapi-python-client on one OpenAPI file into ``out_dir`` (replaced, never merged)."""
    started = time.monotonic()
    out_dir = out_dir.resolve()
    if out_dir.exists():
        shutil.rmtree(out_dir)  # stale modules from an earlier contract must not survive
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    ruff = shlex.quote(_venv_tool("ruff"))
    config = {
        "project_name_override": package.replace("_", "-"),
        "package_name_override": package,
        # The venv's ruff, so formatting works without an activated venv on PATH.
        "post_hooks": [f"{ruff} check . --fix-only --quiet", f"{ruff} format . --quiet"],
    }
    with tempfile.TemporaryDirectory(prefix="usersapi-clients-") as tmp:
        config_path = Path(tmp) / "openapi-python-client.json"
        config_path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
        command = [
            _venv_tool("openapi-python-client"),
            "generate",
            "--path",
            str(spec),
            "--output-path",
            str(out_dir),
            "--config",
            str(config_path),
            "--meta",
            "pdm",  # a PEP 621 pyproject.toml, installable with plain pip
        ]
        code, stdout, stderr = _run(command)
    warnings = parse_python_warnings(stderr)
    if code != 0 or not (out_dir / package / "__init__.py").exists():
        raise ClientGenerationError(
            f"openapi-python-client failed on {spec} (exit {code}):\n{stdout}{stderr}".rstrip()
        )
    seconds = time.monotonic() - started
    return GenerationResult(api or spec.stem, "python", out_dir, package, warnings, seconds)


def generate_python_client(api: str, out_dir: Path) -> GenerationResult:
    """Bundle ``api`` and generate its Python client project into ``out_dir``."""
    spec, _ = write_bundle(api)
    return generate_python_client_from(spec, out_dir, python_package_name(api), api)


# --- TypeScript ---------------------------------------------------------------------------


def npm_prefix() -> Path:
    return build_dir() / "npm-clients"


def npm_available() -> bool:
    return shutil.which("npm") is not None and shutil.which("node") is not None


def ensure_npm_tools(prefix: Path | None = None) -> Path:
    """The node_modules holding the TypeScript tools, installed with npm when missing."""
    prefix = prefix or npm_prefix()
    modules = prefix / "node_modules"
    wanted = [modules / ".bin" / "openapi-typescript", modules / ".bin" / "tsc"]
    if all(path.exists() for path in wanted) and (modules / "openapi-fetch").is_dir():
        return modules
    if not npm_available():
        raise ClientGenerationError("npm and node are needed for the TypeScript client")
    prefix.mkdir(parents=True, exist_ok=True)
    code, stdout, stderr = _run(
        ["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund", *NPM_TOOLS]
    )
    if code != 0 or not all(path.exists() for path in wanted):
        raise ClientGenerationError(f"npm install failed (exit {code}):\n{stdout}{stderr}")
    return modules


def _typescript_warnings(stderr: str) -> list[str]:
    # Its progress lines ("✨ openapi-typescript 7.x", "🚀 a.yaml → b.d.ts") are not warnings.
    return [
        line.strip()
        for line in stderr.splitlines()
        if line.strip() and "openapi-typescript" not in line and "→" not in line
    ]


def type_check(project: Path, modules: Path) -> None:
    """Run tsc on a TypeScript project folder (its tsconfig.json); raise with the errors."""
    code, stdout, stderr = _run([str(modules / ".bin" / "tsc"), "-p", str(project)], cwd=project)
    if code != 0:
        raise ClientGenerationError(f"tsc found errors in {project}:\n{stdout}{stderr}".rstrip())


_TS_CLIENT = """\
// Generated by `usersapi clients` from the bundled contract of {api}; do not edit.
import createClient, {{ type Client, type ClientOptions }} from "openapi-fetch";
import type {{ components, operations, paths }} from "./schema.js";

export type {{ components, operations, paths }};
{aliases}
/** A fetch client for every path of the contract; `authorization` is sent on each request. */
export function createApiClient(
  baseUrl: string,
  authorization: string,
  options: Omit<ClientOptions, "baseUrl"> = {{}},
): Client<paths> {{
  const extra = options.headers as Record<string, string> | undefined;
  const headers = {{ ...extra, Authorization: authorization }};
  return createClient<paths>({{ ...options, baseUrl, headers }});
}}
"""

_TSCONFIG = {
    "compilerOptions": {
        "strict": True,
        "target": "ES2022",
        "module": "NodeNext",
        "moduleResolution": "NodeNext",
        "lib": ["ES2022", "DOM"],
        "types": [],
        "declaration": True,
        "outDir": "dist",
        "noUnusedLocals": True,
        # Skips only the .d.ts of lib.dom and node_modules (most of tsc's time); the generated
        # schema is a .ts file so it is still checked in full.
        "skipLibCheck": True,
    },
    "include": ["*.ts"],
}
_TS_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# An alias named like a global would shadow it in every importing module (`Error` above all);
# such schemas stay reachable as components["schemas"]["Error"].
_TS_GLOBALS = frozenset(
    {"Array", "Boolean", "Date", "Error", "Function", "Headers", "Map", "Number", "Object"}
    | {"Promise", "Record", "Request", "Response", "Set", "String", "Symbol", "URL"}
)


def write_typescript_module(out_dir: Path, document: dict[str, Any], modules: Path) -> None:
    """client.ts (types named after the schemas, a client factory), tsconfig, node_modules link."""
    schemas = document.get("components", {}).get("schemas", {})
    names = [n for n in schemas if _TS_IDENTIFIER.match(n) and n not in _TS_GLOBALS]
    aliases = "".join(f'export type {n} = components["schemas"]["{n}"];\n' for n in names)
    title = document.get("info", {}).get("title", "the API")
    (out_dir / "client.ts").write_text(_TS_CLIENT.format(api=title, aliases=aliases), "utf-8")
    (out_dir / "tsconfig.json").write_text(json.dumps(_TSCONFIG, indent=2) + "\n", "utf-8")
    (out_dir / "package.json").write_text('{"private": true, "type": "module"}\n', "utf-8")
    # The tools live in one shared npm prefix; the link lets tsc and node resolve openapi-fetch.
    (out_dir / "node_modules").symlink_to(modules, target_is_directory=True)


def generate_typescript_client(api: str, out_dir: Path) -> GenerationResult:
    """Bundle ``api``, generate ``schema.ts`` and a typed ``client.ts`` and type-check them."""
    started = time.monotonic()
    modules = ensure_npm_tools()
    spec, document = write_bundle(api)
    out_dir = out_dir.resolve()
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    command = [str(modules / ".bin" / "openapi-typescript"), str(spec), "-o", "schema.ts"]
    code, stdout, stderr = _run(command, cwd=out_dir)
    if code != 0 or not (out_dir / "schema.ts").exists():
        raise ClientGenerationError(f"openapi-typescript failed (exit {code}):\n{stdout}{stderr}")
    write_typescript_module(out_dir, document, modules)
    type_check(out_dir, modules)
    warnings = _typescript_warnings(stderr)
    seconds = time.monotonic() - started
    return GenerationResult(api, "typescript", out_dir, "client.ts", warnings, seconds)


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
