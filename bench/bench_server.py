"""Load the reference server with wrk and compare it with Prism and a bare Starlette ceiling.

Loopback only, bounded duration. Prints requests/s and latency percentiles per scenario, the
ratios the goals are stated in, and the server's memory before and after load on a database of
100,000 users.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import (  # noqa: E402
    ceiling_server,
    free_port,
    prism_server,
    reference_server,
    rss_kib,
)

from generator.spec.bundle import bundle_api, dump_document  # noqa: E402

DURATION = "8s"
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


def wrk(label: str, url: str, headers: dict[str, str], script: str | None = None) -> Result:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency"]
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


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="usersapi-bench-") as tmp:
        tmp_path = Path(tmp)
        script = tmp_path / "create.lua"
        script.write_text(CREATE_SCRIPT)
        bundle = tmp_path / "cloud-elements.yaml"
        dump_document(bundle_api("cloud-elements"), bundle)

        port = free_port()
        with reference_server(tmp_path / "small.sqlite3", port) as (_, creds):
            ce = creds["cloud-elements"]
            auth = {"Authorization": ce["Authorization"]}
            base = ce["base_url"]
            user_url = f"{base}/users/{ce['user_id']}"
            results.append(wrk("reference GET one user", user_url, auth))
            filtered = f"{base}/users?where=city%20%3D%20%27Denver%27&pageSize=50"
            results.append(wrk("reference filtered list", filtered, auth))
            create_url = f"{base}/accounts/{ce['default_account_id']}/users"
            results.append(wrk("reference create (scrypt)", create_url, auth, str(script)))
            # wrk stops with up to 16 creates in flight, each a scrypt hash still running in the
            # server's thread pool: let them finish so they do not land in the next figures.
            time.sleep(SETTLE_SECONDS)
            tyk = creds["tyk-dashboard"]
            results.append(
                wrk(
                    "reference Tyk GET one user",
                    f"{tyk['base_url']}/api/users/{tyk['user_id']}",
                    {"Authorization": tyk["Authorization"]},
                )
            )
            user_path = f"/users/{ce['user_id']}"

        port = free_port()
        with prism_server(bundle, port) as prism:
            if prism is not None:
                results.append(
                    wrk("prism GET one user", f"http://127.0.0.1:{port}{user_path}", auth)
                )
        port = free_port()
        with ceiling_server(port):
            results.append(
                wrk(
                    "bare Starlette ceiling",
                    f"http://127.0.0.1:{port}/elements/api-v2{user_path}",
                    auth,
                )
            )

        big = tmp_path / "big.sqlite3"
        port = free_port()
        with reference_server(big, port):
            pass  # creates and seeds the demo database
        add_bulk_users(big, BULK_USERS)
        port = free_port()
        with reference_server(big, port) as (proc, creds):
            ce = creds["cloud-elements"]
            auth = {"Authorization": ce["Authorization"]}
            before = rss_kib(proc.pid)
            results.append(
                wrk("100k db GET one user", f"{ce['base_url']}/users/{ce['user_id']}", auth)
            )
            results.append(
                wrk(
                    "100k db filtered list",
                    f"{ce['base_url']}/users?where=city%20%3D%20%27Denver%27&pageSize=50",
                    auth,
                )
            )
            after = rss_kib(proc.pid)

    print(f"wrk -t2 -c{CONNECTIONS} -d{DURATION} on 127.0.0.1")
    print(f"{'scenario':<28}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}")
    for r in results:
        print(f"{r.label:<28}{r.rps:>10.0f}{r.p50_ms:>9.2f}{r.p99_ms:>9.2f}{r.non_2xx:>9}")
    by_label = {r.label: r for r in results}
    ours = by_label["reference GET one user"].rps
    if "prism GET one user" in by_label:
        print(f"reference / prism (GET one user): {ours / by_label['prism GET one user'].rps:.2f}x")
    print(f"reference / bare ceiling: {100 * ours / by_label['bare Starlette ceiling'].rps:.0f}%")
    print(
        f"memory on {BULK_USERS:,}-user db: {before / 1024:.1f} MiB before load, "
        f"{after / 1024:.1f} MiB after"
    )


if __name__ == "__main__":
    main()
