"""The Node tools the benches compare with, installed once under build/bench/npm."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NPM_PREFIX = ROOT / "build" / "bench" / "npm"
PACKAGES = {"redocly": "@redocly/cli@2", "prism": "@stoplight/prism-cli@5"}


def node_tool(name: str) -> list[str] | None:
    """The command of a Node tool (``redocly`` or ``prism``): installed here on first use with
    npm, else through npx, else None."""
    local = NPM_PREFIX / "node_modules" / ".bin" / name
    if not local.exists() and shutil.which("npm"):
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(NPM_PREFIX),
                PACKAGES[name],
                "--no-audit",
                "--no-fund",
            ],
            check=False,
            capture_output=True,
            timeout=600,
        )
    if local.exists():
        return [str(local)]
    if shutil.which("npx"):
        return ["npx", "--yes", PACKAGES[name]]
    return None
