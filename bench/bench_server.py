"""Load the reference server with wrk and compare it with Prism and a bare Starlette ceiling.

Loopback only, bounded duration. The compared scenarios (ours, Prism, the ceiling, a filtered list
on 100,000 users) run in interleaved rounds against servers started once; the goals are judged on
the medians. Then one run each of the other scenarios, and the server's memory before and after
load on the big database. Every process started is ended with its process group, also on Ctrl-C
or SIGTERM.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import goals  # noqa: E402
from rounds import ROUNDS, Figure, interleave, load  # noqa: E402
from servers import (  # noqa: E402
    ceiling_server,
    end_on_sigterm,
    free_port,
    prism_server,
    reference_server,
    rss_kib,
)

from generator.openapi.bundle import bundle_api, dump_document  # noqa: E402

DURATION = "5s"
WARM_UP = "2s"
SETTLE_SECONDS = 5
CONNECTIONS = 16
BULK_USERS = 100_000
CREATE_SCRIPT = """
counter = 0
-- each wrk thread has its own Lua state; seed each differently so emails never collide
init = function(args) math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16)) end
request = function()
  counter = counter + 1
  local body = string.format(
    '{"firstName":"Load","lastName":"Test","email":"load%d-%d@bench.example","password":"pw-%d"}',
    math.random(1, 1e9), counter, counter)
  -- wrk.format replaces the -H headers when given a table, so extend wrk.headers instead
  wrk.headers["Content-Type"] = "application/json"
  return wrk.format("POST", nil, nil, body)
end
"""


@dataclass
class Result:
    label: str
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx: int


def wrk(
    label: str,
    url: str,
    headers: dict[str, str],
    script: str | None = None,
    duration: str = DURATION,
    connections: int = CONNECTIONS,
) -> Result:
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", script]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return Result(
        label,
        rps,
        _latency(out, "50%"),
        _latency(out, "99%"),
        int(non_2xx.group(1)) if non_2xx else 0,
    )


def _latency(out: str, percentile: str) -> float:
    match = re.search(rf"{re.escape(percentile)}\s+([\d.]+)(us|ms|s)", out)
    if not match:
        return float("nan")
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def add_bulk_users(db: Path, count: int) -> None:
    """Clone a demo user ``count`` times with unique emails and secrets, in one transaction."""
    conn = sqlite3.connect(db)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(users)") if row[1] != "id"]
    chosen = {
        "email": "'bulk' || n || '@bulk.example'",
        "username": "'bulk' || n || '@bulk.example'",
        "secret_hash": "randomblob(32)",
        "city": "CASE n % 5 WHEN 0 THEN 'Denver' ELSE 'Elsewhere' END",
    }
    select = ", ".join(chosen.get(column, column) for column in columns)
    conn.execute(
        f"WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {count}) "
        f"INSERT INTO users ({', '.join(columns)}) SELECT {select} FROM seq, "
        "(SELECT * FROM users WHERE id = 3)"
    )
    conn.commit()
    conn.close()


def _median(values: list[float]) -> float:
    return statistics.median(values)


class _Scenarios:
    """wrk runs by label; each returns requests/s for the rounds and keeps its whole Result."""

    def __init__(self) -> None:
        self.results: dict[str, list[Result]] = {}

    def measure(self, label: str, url: str, headers: dict[str, str], script: str | None = None):
        def run() -> float:
            result = wrk(label, url, headers, script)
            self.results.setdefault(label, []).append(result)
            return result.rps

        return run

    def once(self, label: str, url: str, headers: dict[str, str], script: str | None = None):
        return self.measure(label, url, headers, script)()

    @staticmethod
    def warm_up(label: str, url: str, headers: dict[str, str]) -> None:
        """A short unrecorded run: the first seconds of a fresh server (Node's JIT above all)
        are not what the rounds compare."""
        wrk(label, url, headers, duration=WARM_UP)


def _prepare_big_db(tmp_path: Path) -> Path:
    big = tmp_path / "big.sqlite3"
    with reference_server(big, free_port()):
        pass  # creates and seeds the demo database
    add_bulk_users(big, BULK_USERS)
    return big


def main() -> None:
    end_on_sigterm()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    runs = _Scenarios()
    with tempfile.TemporaryDirectory(prefix="usersapi-bench-") as tmp, ExitStack() as servers:
        tmp_path = Path(tmp)
        script = tmp_path / "create.lua"
        script.write_text(CREATE_SCRIPT)
        bundle = tmp_path / "cloud-elements.yaml"
        dump_document(bundle_api("cloud-elements"), bundle)
        big = _prepare_big_db(tmp_path)

        _, creds = servers.enter_context(reference_server(tmp_path / "small.sqlite3", free_port()))
        ce = creds["cloud-elements"]
        auth = {"Authorization": ce["Authorization"]}
        user_path = f"/users/{ce['user_id']}"
        filtered = "/users?where=city%20%3D%20%27Denver%27&pageSize=50"
        prism_port, ceiling_port = free_port(), free_port()
        prism = servers.enter_context(prism_server(bundle, prism_port))
        servers.enter_context(ceiling_server(ceiling_port))
        big_proc, big_creds = servers.enter_context(reference_server(big, free_port()))
        big_ce = big_creds["cloud-elements"]
        big_auth = {"Authorization": big_ce["Authorization"]}

        targets = {
            OURS: (f"{ce['base_url']}{user_path}", auth),
            CEILING: (f"http://127.0.0.1:{ceiling_port}/elements/api-v2{user_path}", auth),
            BIG_LIST: (f"{big_ce['base_url']}{filtered}", big_auth),
        }
        if prism is not None:
            targets[PRISM] = (f"http://127.0.0.1:{prism_port}{user_path}", auth)
        for label, (url, headers) in targets.items():
            runs.warm_up(label, url, headers)
        contenders = {
            label: runs.measure(label, url, headers) for label, (url, headers) in targets.items()
        }
        print(f"{ROUNDS} interleaved rounds of wrk -t2 -c{CONNECTIONS} -d{DURATION}:", flush=True)
        figures = interleave(contenders)

        runs.once("reference filtered list", f"{ce['base_url']}{filtered}", auth)
        create_url = f"{ce['base_url']}/accounts/{ce['default_account_id']}/users"
        runs.once("reference create (scrypt)", create_url, auth, str(script))
        # wrk stops with up to 16 creates in flight, each a scrypt hash still running in the
        # server's thread pool: let them finish so they do not land in the next figures.
        time.sleep(SETTLE_SECONDS)
        tyk = creds["tyk-dashboard"]
        runs.once(
            "reference Tyk GET one user",
            f"{tyk['base_url']}/api/users/{tyk['user_id']}",
            {"Authorization": tyk["Authorization"]},
        )
        before = rss_kib(big_proc.pid)
        runs.once(
            "100k db GET one user", f"{big_ce['base_url']}/users/{big_ce['user_id']}", big_auth
        )
        after = rss_kib(big_proc.pid)
    _report(runs, figures, before, after)


OURS = "reference GET one user"
PRISM = "prism GET one user"
CEILING = "bare Starlette ceiling"
BIG_LIST = "100k db filtered list"
# Issue 16 asks for a filtered list "at least half of today's GET-one-user rate": the rate of
# the day it was filed, not of the same run (GET one user has become 2.5 times faster since,
# while a page of fifty sends forty times its bytes). That rate is kept as its share of the
# bare ceiling, so that the goal holds on any machine: 44%, the better of the two runs
# and what this bench measured here before the work on it began (44.1%, 8,578 req/s).
FILED_GET_SHARE = 0.44


def _report(runs: _Scenarios, figures: dict[str, Figure], before: int, after: int) -> None:
    print(
        f"\nwrk -t2 -c{CONNECTIONS} -d{DURATION} on 127.0.0.1 ({load()} at the end: ratios count)"
    )
    print(f"{'scenario':<28}{'req/s median (min-max)':>26}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}")
    for label, results in runs.results.items():
        rps = Figure(tuple(r.rps for r in results)).spread(digits=0)
        p50 = _median([r.p50_ms for r in results])
        p99 = _median([r.p99_ms for r in results])
        non_2xx = sum(r.non_2xx for r in results)
        print(f"{label:<28}{rps:>26}{p50:>9.2f}{p99:>9.2f}{non_2xx:>9}")
    print(
        f"memory on {BULK_USERS:,}-user db: {before / 1024:.1f} MiB before load, "
        f"{after / 1024:.1f} MiB after"
    )
    ours = figures[OURS].median
    found = []

    def goal(name: str, figure: str, met: bool) -> None:
        found.append(goals.record("server", name, figure, met))

    if PRISM in figures:
        ratio = ours / figures[PRISM].median
        goal("GET one user >= 3x Prism", f"{ratio:.2f}x", ratio >= 3)
    else:
        goal("GET one user >= 3x Prism", "no Prism (npx)", False)
    share = ours / figures[CEILING].median
    goal("GET one user >= 50% of the bare ceiling", f"{share:.1%}", share >= 0.5)
    p99 = _median([r.p99_ms for r in runs.results[OURS]])
    goal("GET one user p99 < 10 ms at 16 connections", f"{p99:.2f} ms", p99 < 10)
    big, ceiling = figures[BIG_LIST].median, figures[CEILING].median
    wanted = FILED_GET_SHARE * ceiling / 2
    goal(
        "100k-user filtered list >= half of the filing day's GET one user",
        f"{big:.0f} vs {wanted:.0f} req/s",
        big >= wanted,
    )
    print(f"the filtered list runs at {big / ours:.0%} of this run's GET one user")
    goals.print_own(found)


if __name__ == "__main__":
    main()
