"""`make bench`: every benchmark in turn, each in its own process so one's load skews no other.

Run: `.venv/bin/python bench/run.py [spec docs server conformance precision diff proxy]`
(default: all).
Ends with one table of every goal the benches checked (goal, figure, met or not). Ctrl-C or
SIGTERM ends the running bench through its own cleanup, which stops every process it started.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import goals  # noqa: E402
import rounds  # noqa: E402

# name -> script; a new bench registers here (and records its goals with goals.record).
SUITES = {
    "spec": "bench_spec.py",  # validate and bundle vs redocly lint, synthetic 100/1,000/5,000 ops
    "docs": "bench_docs.py",  # docs render vs Redocly build-docs, page weight
    "server": "bench_server.py",  # wrk: reference server vs Prism vs a bare Starlette ceiling
    "conformance": "bench_conformance.py",  # full-run speed, faulty-server score vs plain run
    "precision": "bench_precision.py",  # 50 seeds per API vs correct servers, fault catch table
    "diff": "bench_diff.py",  # usersapi diff: 100/1,000/5,000 ops differing in 1% of them
    "proxy": "bench_proxy.py",  # wrk: GET one user direct, through usersapi proxy, prism proxy
}


def _run_one(script: str, env: dict[str, str]) -> int:
    child = subprocess.Popen([sys.executable, str(BENCH / script)], cwd=BENCH.parent, env=env)

    def forward(signum: int, frame: object) -> None:
        # The bench ends its own servers on SIGTERM (and on the terminal's Ctrl-C, which it
        # receives too); wait for that instead of dying first.
        child.send_signal(signal.SIGTERM)

    previous = signal.signal(signal.SIGTERM, forward)
    try:
        while True:
            try:
                return child.wait()
            except KeyboardInterrupt:  # Ctrl-C: the child got it too; let it clean up
                continue
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(chosen: list[str]) -> int:
    unknown = sorted(set(chosen) - set(SUITES))
    if unknown:
        print(f"unknown bench(es): {', '.join(unknown)}; choose from {', '.join(SUITES)}")
        return 2
    failed = []
    with tempfile.TemporaryDirectory(prefix="usersapi-goals-") as tmp:
        goals_file = Path(tmp) / "goals.jsonl"
        env = {**os.environ, goals.ENV: str(goals_file)}
        for name in chosen or list(SUITES):
            print(f"\n=== bench {name} ({SUITES[name]}, {rounds.load()}) ===", flush=True)
            started = time.monotonic()
            code = _run_one(SUITES[name], env)
            elapsed = time.monotonic() - started
            print(f"=== bench {name}: {elapsed:.0f}s, exit {code} ===", flush=True)
            if code != 0:
                failed.append(name)
            if code < 0 or code == 130:  # interrupted: stop here
                break
        print(f"\n=== goals ({rounds.load()} at the end on {os.cpu_count()} cores) ===")
        print(goals.table(goals.read(goals_file)))
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
