"""The pytest plugin as a team uses it: its own pytest run, a live server, waivers, findings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from faulty_servers import running_variant

# The leak is on every get of one user, which examples and fuzzing reach: the stateful phase
# would add minutes and nothing this test looks at.
QUICK = ["--usersapi-seed", "3", "--usersapi-max-examples", "3"]
QUICK += ["--usersapi-phases", "examples,fuzzing"]


def _pytest(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    (folder / "test_theirs.py").write_text("def test_their_own():\n    pass\n")
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args]
    return subprocess.run(
        command, cwd=folder, capture_output=True, text=True, timeout=600, check=False
    )


def test_a_team_adds_the_contract_tests_to_its_own_run(tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(  # the leak is on every get of one user
        "".join(
            f"- {{check: secret_only_when_authorized, operation: {op}, reason: known (T-9)}}\n"
            for op in ("getUser", "getAccountUser", "getOrganizationUser")
        )
    )
    with running_variant("secret_leak") as (origin, creds):
        live = [
            "--usersapi-api",
            "cloud-elements",
            "--usersapi-base-url",
            origin,
            "--usersapi-header",
            f"Authorization: {creds['cloud-elements']['Authorization']}",
            *QUICK,
        ]
        failing = _pytest(tmp_path, *live, "--usersapi-report", str(tmp_path / "report"))
        waived = _pytest(tmp_path, *live, "--usersapi-waivers", str(waivers))
    out = failing.stdout
    assert failing.returncode == 1, out[-3000:]
    assert "test_their_own" not in out and "usersapi[cloud-elements] GET /users/{emailOrId}" in out
    assert "secret_only_when_authorized" in out and "Why it matters:" in out
    assert "Reproduce with:" in out and "Traceback" not in out
    assert (tmp_path / "report" / "cloud-elements" / "result.json").is_file()
    assert waived.returncode == 0, waived.stdout[-3000:]


def test_an_unknown_phase_is_a_usage_error_naming_it(tmp_path: Path) -> None:
    run = _pytest(tmp_path, "--usersapi-api", "tyk-dashboard", "--usersapi-phases", "examples,nope")
    assert run.returncode == 4, run.stdout + run.stderr
    assert "--usersapi-phases" in run.stderr and "unknown phase(s) nope" in run.stderr
    assert "Traceback" not in run.stderr
