"""Load `usersapi proxy` with wrk: GET one user direct, through our proxy, through `prism proxy`.

The three run against the same reference server (Cloud Elements, the same bundle for both
proxies) in interleaved rounds; the goals are judged on the medians: our proxy's throughput at
least Prism proxy's and at least half of direct, and under 2 ms added to the median latency.
Each request carries an `X-Request-Id` of its own, so the goals hold without the proxy's memo of
verdicts for byte-identical exchanges; a repeated request, the memo's case, is shown beside.
At 16 connections that median is mostly queueing (it falls as throughput rises), so rounds on
one connection also show what the hop itself adds to each request.
Every process started is ended with its process group, also on Ctrl-C or SIGTERM.

Run: `make bench BENCH=proxy`, or `.venv/bin/python bench/bench_proxy.py [--duration 5s]
[--rounds 3]` for a shorter check.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_server  # noqa: E402
import goals  # noqa: E402
from node_tools import node_tool  # noqa: E402
from process_cpu import seconds_until_idle  # noqa: E402
from rounds import ROUNDS, Figure, interleave, load  # noqa: E402
from servers import BIN, end_on_sigterm, free_port, process, reference_server  # noqa: E402

from generator.openapi.bundle import bundle_api, dump_document  # noqa: E402

DIRECT, OURS, PRISM = "direct", "usersapi proxy", "prism proxy"
REPEATED = "usersapi proxy, repeated"
# Every request carries an X-Request-Id of its own, as a real app's traffic does (tracing), so
# no two exchanges are byte-identical and the proxy's verdict memo cannot judge them once for
# all: the goals are judged on this traffic. REPEATED sends one request over and over, the case
# the memo is for (polling, retries), shown beside it.
UNIQUE_IDS = """
init = function(args) math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16)) end
prefix = nil
counter = 0
request = function()
  prefix = prefix or math.random(1, 1e9)  -- one per wrk thread, drawn after its seeding
  counter = counter + 1
  wrk.headers["X-Request-Id"] = string.format("%d-%d", prefix, counter)
  return wrk.format()
end
"""


def _our_proxy(
    stack: ExitStack, upstream: str, report: Path, stopping: list[float]
) -> tuple[int, int]:
    """Our proxy, writing its reports into `report` when it is stopped; `stopping` gets how
    long stopping it took: its judge finishing what was still queued, then the reports.
    Its port and process id."""
    port = free_port()
    command = [str(BIN / "usersapi"), "proxy", "cloud-elements", "--upstream", upstream]
    stack.callback(lambda: stopping.append(time.monotonic() - stopping.pop()))
    proc = stack.enter_context(
        process([*command, "--port", str(port), "--report", str(report)], port)
    )
    stack.callback(lambda: stopping.append(time.monotonic()))
    return port, proc.pid


def _then_caught_up(
    measure: Callable[[], float], pid: int, catch_up: list[float]
) -> Callable[[], float]:
    """`measure`, then a wait until our proxy's judge has judged what the round left it (it
    runs behind the forwarding, at a lower priority): its judging stays out of the next
    contender's round, and `catch_up` gets how long it took after the load."""

    def measured() -> float:
        figure = measure()
        catch_up.append(seconds_until_idle(pid))
        return figure

    return measured


def _judged(report: Path, stopping: list[float]) -> str:
    """Every exchange forwarded is judged, the memo's or not: the session's own count."""
    try:
        cases = json.loads((report / "result.json").read_text())["cases"]
    except (OSError, ValueError, KeyError) as error:
        return f"our proxy wrote no result.json when stopped ({error})"
    return f"our proxy judged {cases} exchanges in all; stopping it took {stopping[0]:.1f} s"


def _prism_proxy(stack: ExitStack, bundle: Path, upstream: str) -> int | None:
    command = node_tool("prism")
    if command is None:
        return None
    port = free_port()
    # Prism matches paths without the server's base path and forwards them below the upstream.
    prism = [*command, "proxy", "-p", str(port), "-h", "127.0.0.1", "-v", "warn"]
    stack.enter_context(process([*prism, str(bundle), upstream + "/elements/api-v2"], port))
    return port


def main(duration: str, rounds: int) -> None:
    end_on_sigterm()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    bench_server.DURATION = duration
    runs = bench_server._Scenarios()
    with tempfile.TemporaryDirectory(prefix="usersapi-bench-proxy-") as tmp, ExitStack() as stack:
        tmp_path = Path(tmp)
        bundle = tmp_path / "cloud-elements.yaml"
        dump_document(bundle_api("cloud-elements"), bundle)
        upstream_port = free_port()
        _, creds = stack.enter_context(reference_server(tmp_path / "db.sqlite3", upstream_port))
        ce = creds["cloud-elements"]
        upstream = f"http://127.0.0.1:{upstream_port}"
        auth = {"Authorization": ce["Authorization"]}
        user = f"/users/{ce['user_id']}"
        report, stopping = tmp_path / "our-proxy", []
        our_port, our_pid = _our_proxy(stack, upstream, report, stopping)
        targets = {
            DIRECT: f"{ce['base_url']}{user}",
            OURS: f"http://127.0.0.1:{our_port}/elements/api-v2{user}",
        }
        prism = _prism_proxy(stack, bundle, upstream)
        if prism is not None:
            targets[PRISM] = f"http://127.0.0.1:{prism}{user}"
        targets[REPEATED] = targets[OURS]
        script = tmp_path / "unique-ids.lua"
        script.write_text(UNIQUE_IDS)
        scripts = {label: None if label == REPEATED else str(script) for label in targets}
        for label, url in targets.items():
            runs.warm_up(label, url, auth)
            if label in (OURS, REPEATED):
                seconds_until_idle(our_pid)  # the warm-up judged before anything is measured
        catch_up: dict[str, list[float]] = {OURS: [], REPEATED: []}
        contenders = {
            label: runs.measure(label, url, auth, scripts[label]) for label, url in targets.items()
        }
        for label, seconds in catch_up.items():
            contenders[label] = _then_caught_up(contenders[label], our_pid, seconds)
        print(f"{rounds} interleaved rounds of wrk -t2 -c{bench_server.CONNECTIONS} -d{duration}:")
        figures = interleave(contenders, rounds)
        # At 16 connections a p50 is mostly waiting in line behind the other 15 (it falls with
        # throughput); one connection shows what the hop itself adds to each request.
        print(f"{rounds} interleaved rounds of wrk -t1 -c1 -d{duration}, p50 ms:")
        alone = interleave(
            {
                label: lambda label=label, url=url: (
                    bench_server.wrk(label, url, auth, scripts[label], connections=1).p50_ms
                )
                for label, url in targets.items()
            },
            rounds,
        )
        stack.close()  # every server stopped: our proxy has written its reports
        judged = _judged(report, stopping)
    _report(runs, figures, alone, duration)
    for label, seconds in catch_up.items():
        each = ", ".join(f"{value:.1f}" for value in seconds)
        print(f"{label}: its judge caught up {each} s after each round's load")
    print(judged)


def _report(
    runs: bench_server._Scenarios,
    figures: dict[str, Figure],
    alone: dict[str, Figure],
    duration: str,
) -> None:
    print(
        f"\nwrk -t2 -c{bench_server.CONNECTIONS} -d{duration}, GET one user (Cloud Elements), "
        f"{load()} at the end"
    )
    print("every request has an X-Request-Id of its own, except on the repeated path")
    print(f"{'path':<26}{'req/s median (min-max)':>26}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}")
    p50 = {}
    for label, results in runs.results.items():
        p50[label] = statistics.median(r.p50_ms for r in results)
        p99 = statistics.median(r.p99_ms for r in results)
        non_2xx = sum(r.non_2xx for r in results)
        spread = figures[label].spread(digits=0)
        print(f"{label:<26}{spread:>26}{p50[label]:>9.2f}{p99:>9.2f}{non_2xx:>9}")
    ours, direct = figures[OURS].median, figures[DIRECT].median
    found = []

    def goal(name: str, figure: str, met: bool) -> None:
        found.append(goals.record("proxy", name, figure, met))

    if PRISM in figures:
        ratio = ours / figures[PRISM].median
        goal("proxy throughput >= prism proxy", f"{ratio:.2f}x", ratio >= 1)
    else:
        goal("proxy throughput >= prism proxy", "no Prism (npx)", False)
    goal("proxy throughput >= 50% of direct", f"{ours / direct:.1%}", ours >= direct / 2)
    added = p50[OURS] - p50[DIRECT]
    goal("proxy adds < 2 ms to p50 (16 connections)", f"{added:.2f} ms", added < 2)
    for label, figure in alone.items():
        print(f"one connection, p50 ms median (min-max): {label:<26}{figure.spread(' ms')}")
    added_alone = alone[OURS].median - alone[DIRECT].median
    print(f"the proxy adds {added_alone:.2f} ms to the p50 of one connection")
    goals.print_own(found)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", default=bench_server.DURATION, help="wrk -d per run")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    options = parser.parse_args()
    main(options.duration, options.rounds)
