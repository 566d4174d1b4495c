"""The Python client: openapi-python-client on the bundle, its warnings parsed one by one."""

from __future__ import annotations

import json
import shlex
import shutil
import sys
import tempfile
import time
from pathlib import Path

from generator.clients.common import (
    ClientGenerationError,
    GenerationResult,
    run_tool,
    write_bundle,
)


def python_package_name(api: str) -> str:
    return api.replace("-", "_") + "_client"


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
        code, stdout, stderr = run_tool(command)
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
