"""`make serve`'s CLI equivalent, run as a person would: start it, use it, stop it."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from processes import interrupt

ROOT = Path(__file__).resolve().parents[1]
USERSAPI = Path(sys.executable).parent / "usersapi"


@pytest.fixture
def served(tmp_path: Path):  # type: ignore[no-untyped-def]
    env = {**os.environ, "USERSAPI_SCRYPT_N": "1024"}
    process = subprocess.Popen(  # port 0: the system picks a free one, the docs line names it
        [str(USERSAPI), "up", "--port", "0", "--build-dir", str(tmp_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 90
        assert process.stdout is not None
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "/docs/" in line:
                break
        docs_line = re.search(r"Open the docs: (http://127\.0\.0\.1:\d+)/docs/", "".join(lines))
        assert docs_line, "".join(lines)
        url = docs_line.group(1)
        for _ in range(100):
            try:
                httpx.get(url + "/docs/", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url, tmp_path, "".join(lines)
    finally:
        interrupt(process)


def test_up_serves_docs_and_both_apis(served) -> None:  # type: ignore[no-untyped-def]
    url, build_dir, output = served
    assert "Authorization:" in output, output
    assert f"Open the docs: {url}/docs/ (try-it console pre-filled" in output, output
    assert (build_dir / "bundles" / "cloud-elements.yaml").is_file()
    docs = httpx.get(url + "/docs/")
    assert docs.status_code == 200
    assert "Cloud Elements" in docs.text
    credentials = json.loads((build_dir / "credentials.json").read_text())
    ce = credentials["cloud-elements"]
    users = httpx.get(ce["base_url"] + "/users", headers={"Authorization": ce["Authorization"]})
    assert users.status_code == 200
    assert isinstance(users.json(), list) and users.json()
    tyk = credentials["tyk-dashboard"]
    listing = httpx.get(
        tyk["base_url"] + "/api/users", headers={"Authorization": tyk["Authorization"]}
    )
    assert listing.status_code == 200
    assert listing.json()["users"]
    # What the try-it console pre-fills: the Authorization values only, never a password.
    demo = httpx.get(url + "/docs/demo-config.json").json()
    assert demo["tyk-dashboard"]["Authorization"] == tyk["Authorization"]
    assert "password" not in json.dumps(demo).lower()


def test_a_taken_port_is_one_clear_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run(
            [str(USERSAPI), "up", "--port", str(port), "--build-dir", str(tmp_path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert run.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "site").exists()  # it stopped before doing any work


def test_a_missing_folder_is_made_and_a_bad_database_is_one_clear_error(tmp_path: Path) -> None:
    not_sqlite = tmp_path / "notes.sqlite3"
    not_sqlite.write_text("these are notes, not a database\n")
    for db, message in (
        (not_sqlite, f"cannot use {not_sqlite} as the database"),
        (not_sqlite / "users.sqlite3", f"cannot open {not_sqlite}"),
    ):
        run = subprocess.run(
            [str(USERSAPI), "serve", "--db", str(db), "--port", "0"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert run.returncode == 1, run.stderr
        assert message in run.stderr and "Traceback" not in run.stderr
    assert not_sqlite.read_text() == "these are notes, not a database\n"  # left untouched
    from generator.server.context import ServerState

    fresh = tmp_path / "new" / "folder" / "users.sqlite3"
    ServerState.open(str(fresh)).close()
    assert fresh.is_file()
