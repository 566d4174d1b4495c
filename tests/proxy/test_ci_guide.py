"""The CI step of docs/proxy-and-coverage.md, run as GitHub Actions runs it (`bash -eo pipefail`):
the real `usersapi proxy` in front of the reference server, and a curl for the app's tests. The
step's exit code is the app's tests' when they fail, else the proxy's gate, after the reports."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from server_harness import RunningServer

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "proxy-and-coverage.md"
USERSAPI = Path(sys.executable).parent / "usersapi"
# The proxy's origin, from the start-up line in its log.
PROXY_ORIGIN = r"sed -n 's/^usersapi proxy: [^ ]* on \(http[^ ]*\) .*/\1/p' build/proxy.log"
# The app's tests: one documented call through the proxy, then the exit code the test asks for.
APP_TESTS = 'curl -fsS -o /dev/null -H "Authorization: $AUTH" "$API_BASE_URL/users"; exit $APP_EXIT'


def _guide_step() -> str:
    """The shell of the guide's `run: |` step in "In CI: run your app's tests through the proxy"."""
    section = GUIDE.read_text().split("## In CI: run your app's tests through the proxy", 1)[1]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    body = block.split("- run: |\n", 1)[1]
    return "".join(line.removeprefix("    ") for line in body.splitlines(keepends=True))


def _run_step(server: RunningServer, folder: Path, app_exit: int, fail_under: str) -> tuple:
    # The guide's fixed port becomes one the proxy picks (tests share the machine), read back
    # from its start-up line, which the step has waited for.
    script = (
        _guide_step()
        .replace(".venv/bin/usersapi", str(USERSAPI))
        .replace("--port 8090", "--port 0")
        .replace("http://127.0.0.1:8090", f"$({PROXY_ORIGIN})")
        .replace("--fail-under 40", f"--fail-under {fail_under}")
        .replace("npm test", f"sh -c '{APP_TESTS}'")
    )
    assert "npm test" not in script and "8090" not in script
    env = {
        **os.environ,
        "STAGING_URL": server.base_url,
        "AUTH": server.credentials["cloud-elements"]["Authorization"],
        "APP_EXIT": str(app_exit),
    }
    done = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", script],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, done.stdout + done.stderr


def test_the_guide_step_gates_on_the_proxy_and_keeps_the_apps_failure(
    server: RunningServer, tmp_path: Path
) -> None:
    clean, under, failing = (tmp_path / name for name in ("clean", "under", "failing"))
    for folder in (clean, under, failing):
        folder.mkdir()
    code, out = _run_step(server, clean, app_exit=0, fail_under="0")
    assert code == 0, out
    assert "cloud-elements: 1 exchanges, 0 violations" in out, out
    assert (clean / "build/proxy/result.json").is_file()
    assert (clean / "build/proxy/junit.xml").is_file()
    # One call covers little of the contract: the proxy's gate fails the step, after the reports.
    code, out = _run_step(server, under, app_exit=0, fail_under="40")
    assert code == 1, out
    assert re.search(r"coverage [\d.]+% is under --fail-under 40%", out), out
    assert (under / "build/proxy/result.json").is_file()
    # The app's tests failed: their exit code is the step's, whatever the proxy found.
    code, out = _run_step(server, failing, app_exit=3, fail_under="40")
    assert code == 3, out
    assert (failing / "build/proxy/result.json").is_file()
