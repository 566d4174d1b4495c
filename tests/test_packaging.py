"""The toolkit as users get it: sdist -> wheel -> a fresh virtualenv, run outside the checkout.

Offline: built as `make dist` builds (no build isolation: the setuptools of this environment), and
installed with ``--no-index`` into a virtualenv that sees this environment's dependencies
through a ``.pth`` line, but not its editable install of this project (that needs the editable
finder, which only a processed ``.pth`` file installs).
"""

from __future__ import annotations

import os
import re
import shutil
import site
import subprocess
import sys
import tarfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import yaml
from processes import interrupt

from generator import __version__

ROOT = Path(__file__).resolve().parents[1]
NOT_SOURCES = (".git", ".venv", "build", "dist", "node_modules", "__pycache__", "*.egg-info")
NOT_SOURCES += (".*_cache", ".hypothesis", ".schemathesis")
SERVE_TIMEOUT = 60.0

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


@dataclass
class Installed:
    venv: Path
    wheel: Path
    sdist: Path
    work: Path  # an empty directory outside the checkout: where a user runs the tool

    @property
    def site_packages(self) -> Path:
        return next((self.venv / "lib").glob("python3*/site-packages"))

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("USERSAPI_")}
        env.pop("PYTHONPATH", None)
        env["PATH"] = f"{self.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env["VIRTUAL_ENV"] = str(self.venv)
        env["USERSAPI_SCRYPT_N"] = "1024"  # cheap password hashes, as in every test run
        return env

    def run(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.venv / "bin" / "usersapi"), *args],
            cwd=cwd or self.work,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )


def _check(command: list[str], cwd: Path) -> str:
    run = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    assert run.returncode == 0, f"{' '.join(command)}\n{run.stdout}\n{run.stderr}"
    return run.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("packaging")
    assert not base.resolve().is_relative_to(ROOT)
    source = base / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_SOURCES))
    dist = base / "dist"
    # `make dist`: the sdist, then the wheel built from the unpacked sdist.
    _check([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist)], source)
    (sdist,) = dist.glob("*.tar.gz")
    (wheel,) = dist.glob("*.whl")

    venv = base / "venv"
    _check([sys.executable, "-m", "venv", "--without-pip", str(venv)], base)
    installed = Installed(venv, wheel, sdist, base / "work")
    installed.work.mkdir()
    # Plain path lines: this environment's dependencies (and pip) become importable; its .pth
    # files, among them the editable install of this checkout, are not processed.
    lines = [path for path in site.getsitepackages() if Path(path).is_dir()]
    (installed.site_packages / "usersapi-test-dependencies.pth").write_text("\n".join(lines))
    python = str(venv / "bin" / "python")
    pip = [python, "-m", "pip", "install", "--no-index", "--no-build-isolation", str(wheel)]
    _check(pip, base)
    return installed


def _relative_files(folder: Path) -> set[str]:
    return {
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_wheel_and_sdist_carry_every_module_and_the_contract(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        in_wheel = set(wheel.namelist())
        metadata_name = next(n for n in in_wheel if n.endswith(".dist-info/METADATA"))
        metadata = wheel.read(metadata_name).decode()
    package = {name for name in _relative_files(ROOT / "generator") if not name.endswith(".md")}
    missing = sorted(f"generator/{name}" for name in package if f"generator/{name}" not in in_wheel)
    assert not missing, f"not in the wheel (add the package to pyproject.toml): {missing}"
    contract = _relative_files(ROOT / "openapi")
    assert contract and {f"generator/contract/{name}" for name in contract} <= in_wheel
    assert not [name for name in in_wheel if name.startswith(("openapi/", "tests/", "build/"))]
    assert f"Version: {__version__}" in metadata
    assert "License-Expression: MIT" in metadata
    with tarfile.open(installed.sdist) as archive:
        in_sdist = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {f"openapi/{name}" for name in contract} <= in_sdist
    assert {"LICENSE", "README.md", "pyproject.toml"} <= in_sdist


def test_version_names_the_tool_and_each_contract_read_from_the_installed_files(
    installed: Installed,
) -> None:
    run = installed.run("--version")
    assert run.returncode == 0, run.stderr
    assert f"usersapi {__version__}" in run.stdout
    for api in ("cloud-elements", "tyk-dashboard"):
        root = ROOT / "openapi" / api / "openapi.yaml"
        version = yaml.safe_load(root.read_text(encoding="utf-8"))["info"]["version"]
        assert f"{api} contract {version}" in run.stdout
    assert f"contract files: {installed.site_packages / 'generator' / 'contract'}" in run.stdout
    module = subprocess.run(
        [str(installed.venv / "bin" / "python"), "-m", "generator", "--version"],
        cwd=installed.work,
        env=installed.env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert module.returncode == 0 and module.stdout == run.stdout


def test_validate_bundle_and_docs_write_into_the_current_directory(installed: Installed) -> None:
    validate = installed.run("validate")
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert "cloud-elements: ok" in validate.stderr and "tyk-dashboard: ok" in validate.stderr
    bundle = installed.run("bundle", "tyk-dashboard")
    assert bundle.returncode == 0, bundle.stderr
    assert yaml.safe_load((installed.work / "build/bundles/tyk-dashboard.yaml").read_text())
    docs = installed.run("docs")
    assert docs.returncode == 0, docs.stderr
    assert (installed.work / "build/site/index.html").is_file()
    assert not (installed.site_packages / "build").exists()


def test_a_contract_given_with_option_is_read_and_located_in_annotations(
    installed: Installed,
) -> None:
    broken = installed.work / "my-contract"
    shutil.copytree(installed.site_packages / "generator" / "contract", broken)
    root = broken / "tyk-dashboard" / "openapi.yaml"
    lines = root.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("  title:"))
    lines[line - 1] = "  title: 7"
    root.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = installed.run(
        "--contract", str(broken), "validate", "tyk-dashboard", "--format", "github"
    )
    assert run.returncode == 1, run.stdout + run.stderr
    expected = f"::error file=my-contract/tyk-dashboard/openapi.yaml,line={line},col=3"
    assert run.stdout.startswith(expected), run.stdout


@pytest.fixture
def served(installed: Installed) -> Iterator[tuple[str, str, Path]]:
    """`usersapi serve --port 0 --demo` from an empty directory: base URL, Tyk key, directory."""
    empty = installed.work.parent / "empty"
    empty.mkdir()
    process = subprocess.Popen(
        [str(installed.venv / "bin" / "usersapi"), "serve", "--port", "0", "--demo"],
        cwd=empty,
        env=installed.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    output = ""
    try:
        # serve prints its address (the port the system chose) once the socket is bound; it
        # accepts a moment later, when its loop starts: the first request waits for that.
        while "Tyk Dashboard admin" not in output:
            line = process.stdout.readline()
            assert line, f"serve exited ({process.wait()}):\n{output}"
            output += line
        address = re.search(r"Tyk Dashboard Users API: +(http://\S+)/api/users", output)
        key = re.search(r"Tyk Dashboard admin +Authorization: (\S+)", output)
        assert address and key, output
        yield address.group(1), key.group(1), empty
    finally:
        interrupt(process)


def _first_answer(url: str, headers: dict[str, str]) -> httpx.Response:
    deadline = time.monotonic() + SERVE_TIMEOUT
    while True:
        try:
            return httpx.get(url, headers=headers, timeout=10)
        except httpx.ConnectError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def test_serve_from_an_empty_directory_and_test_it(
    installed: Installed, served: tuple[str, str, Path]
) -> None:
    base_url, key, directory = served
    users = _first_answer(f"{base_url}/api/users", {"Authorization": key})
    assert users.status_code == 200 and users.json()["users"], users.text
    assert (directory / "build" / "usersapi.sqlite3").is_file()
    run = installed.run(
        "test",
        "tyk-dashboard",
        "--base-url",
        base_url,
        "-H",
        f"Authorization: {key}",
        "--seed",
        "3",
        "--max-examples",
        "2",
        "--phases",
        "examples,fuzzing",
        "--junit-xml",
        "junit.xml",
        "--report",
        "report",
        "--format",
        "github",
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "tyk-dashboard: PASSED" in run.stdout and "::error" not in run.stdout
    assert (installed.work / "junit.xml").is_file()
    assert (installed.work / "report" / "report.html").is_file()
