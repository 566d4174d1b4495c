"""`make bench`: every benchmark in turn, each in its own process so one's load skews no other.

Run: `.venv/bin/python bench/run.py [spec docs server conformance diff]` (default: all of them).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SUITES = {
    "spec": "bench_spec.py",  # validate and bundle: real contracts, synthetic 100/1,000/5,000 ops
    "docs": "bench_docs.py",  # docs render vs Redocly, page weight
    "server": "bench_server.py",  # wrk: reference server vs Prism vs a bare Starlette ceiling
    "conformance": "bench_conformance.py",  # full-run speed, faulty-server score vs plain run
    "precision": "bench_precision.py",  # 50 seeds per API vs correct servers, fault catch table
    "diff": "bench_diff.py",  # usersapi diff: 100/1,000/5,000 ops differing in 1% of them
}


def main(chosen: list[str]) -> int:
    unknown = sorted(set(chosen) - set(SUITES))
    if unknown:
        print(f"unknown bench(es): {', '.join(unknown)}; choose from {', '.join(SUITES)}")
        return 2
    failed = []
    for name in chosen or list(SUITES):
        print(f"\n=== bench {name} ({SUITES[name]}) ===", flush=True)
        started = time.monotonic()
        code = subprocess.call([sys.executable, str(BENCH / SUITES[name])], cwd=BENCH.parent)
        print(f"=== bench {name}: {time.monotonic() - started:.0f}s, exit {code} ===", flush=True)
        if code != 0:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
