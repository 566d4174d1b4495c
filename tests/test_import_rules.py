"""The import rules of docs/architecture.md are enforced: `make lint` runs lint-imports on the
contracts in pyproject.toml, and a forbidden import makes it fail."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(tree / "pyproject.toml")],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def copy_of_the_package(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "generator", tmp_path / "generator", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_package_keeps_every_import_contract(copy_of_the_package: Path) -> None:
    result = _lint_imports(copy_of_the_package)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_conformance_layer_importing_the_server_fails_the_lint(
    copy_of_the_package: Path,
) -> None:
    checks = copy_of_the_package / "generator" / "conformance" / "checks.py"
    checks.write_text(
        checks.read_text(encoding="utf-8") + "\nfrom generator.server import app  # noqa\n",
        encoding="utf-8",
    )
    result = _lint_imports(copy_of_the_package)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "The conformance suite never loads the reference server" in result.stdout
    assert "generator.conformance.checks -> generator.server.app" in result.stdout
