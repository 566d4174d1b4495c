"""What both client generators share: the result, the error, the bundle they read, running a
tool."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.openapi.apis import build_dir
from generator.openapi.bundle import default_bundle_path, dump_document, load_bundle

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


def default_client_dir(language: str, api: str) -> Path:
    return build_dir() / "clients" / language / api


def write_bundle(api: str) -> tuple[Path, dict[str, Any]]:
    """Bundle one API to build/bundles/<api>.yaml (SpecError when the contract is broken)."""
    path, document = default_bundle_path(api), load_bundle(api).document
    dump_document(document, path)
    return path, document


def run_tool(
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
