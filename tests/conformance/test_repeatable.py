"""A seed repeats a run: the CLI twice and pytest once draw the same cases (same digest).

The processes import different project modules (pytest has collected the whole test suite),
which used to change the literals Hypothesis mixed into its draws, and so the cases.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.conformance.runner import run_suite

pytestmark = pytest.mark.slow  # whole runs of the suite: scheduled first (tests/conftest.py)

API, SEED, EXAMPLES = "tyk-dashboard", 5, 3


def _cli_digest(report: Path) -> str:
    command = [sys.executable, "-m", "generator", "test", API, "--seed", str(SEED)]
    command += ["--max-examples", str(EXAMPLES), "--report", str(report)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    digest = json.loads((report / "result.json").read_text())["cases_digest"]
    assert f"cases digest: {digest} (seed {SEED})" in run.stdout
    return digest


def test_one_seed_gives_the_same_cases_in_the_cli_and_in_pytest(tmp_path: Path) -> None:
    first, second = _cli_digest(tmp_path / "one"), _cli_digest(tmp_path / "two")
    in_pytest = run_suite(API, seed=SEED, max_examples=EXAMPLES)
    assert in_pytest.ok
    assert len(first) == 16 and first == second == in_pytest.cases_digest
