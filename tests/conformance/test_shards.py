"""`--shard K/N` slices are disjoint, cover every operation and are stable; merging the runs of
two halves gives the coverage of one full run; `usersapi report merge` writes the reports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from server_harness import running_server

from generator.cli import cli
from generator.conformance.merge import MergeError, merge_results
from generator.conformance.results import SuiteResult
from generator.conformance.runner import run_suite
from generator.conformance.shards import ShardError, parse_shard, shard_operations
from generator.openapi.apis import API_NAMES
from generator.openapi.bundle import bundle_api
from generator.openapi.walk import iter_operations


@pytest.mark.parametrize("api", API_NAMES)
def test_slices_are_disjoint_and_cover_every_operation(api: str) -> None:
    spec = bundle_api(api)
    every = sorted(op.node["operationId"] for op in iter_operations(spec))
    for n in (1, 2, 3, 5, len(every) + 2):
        slices = [shard_operations(spec, k, n) for k in range(1, n + 1)]
        assert sorted(op for piece in slices for op in piece) == every
        assert sum(len(piece) for piece in slices) == len(every)  # no operation twice
        assert max(map(len, slices)) - min(map(len, slices)) <= 1
        assert slices == [shard_operations(bundle_api(api), k, n) for k in range(1, n + 1)]


@pytest.mark.parametrize("text", ["0/2", "3/2", "a/b", "2", "1/0", ""])
def test_bad_shard_is_refused(text: str) -> None:
    with pytest.raises(ShardError, match="K/N"):
        parse_shard(text)


def _run(operations: list[str] | None, report: Path) -> SuiteResult:
    with running_server() as server:  # a fresh server per run: the runs start alike
        return run_suite(
            "tyk-dashboard",
            credentials=server.credentials,
            seed=3,
            deterministic=True,
            max_examples=2,
            phases=("examples",),
            operations=operations,
            report_dir=report,
        )


def _without_timing(coverage: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(coverage))


# Operations that change nothing: a run of all of them and the runs of its halves meet the same
# data. (With writes in the run, what one operation deleted changes another's answers, so a
# sharded run and a full one can see different statuses: each is right for its own traffic.)
READ_ONLY = ("listUsers", "getUser", "getCurrentUser", "searchUsersByQuery", "searchUsers")


def test_merge_of_two_halves_equals_the_full_run(tmp_path: Path) -> None:
    spec = bundle_api("tyk-dashboard")
    full = _run(list(READ_ONLY), tmp_path / "full")
    halves = [
        _run([op for op in shard_operations(spec, k, 2) if op in READ_ONLY], tmp_path / f"half{k}")
        for k in (1, 2)
    ]
    merged = merge_results(halves, spec)
    assert _without_timing(merged.coverage) == _without_timing(full.coverage)
    assert merged.cases == full.cases
    runner = CliRunner()
    out = tmp_path / "merged"
    done = runner.invoke(
        cli, ["report", "merge", str(tmp_path / "half1"), str(tmp_path / "half2"), "-o", str(out)]
    )
    assert done.exit_code == (0 if merged.ok else 1), done.output
    written = json.loads((out / "result.json").read_text())
    assert written["coverage"] == _without_timing(full.coverage)
    assert (out / "report.html").exists() and (out / "junit.xml").exists()
    assert "tyk-dashboard: 2 results merged" in done.output


def test_results_of_two_apis_do_not_merge() -> None:
    results = [SuiteResult(api, "http://x", "t", None, 0, 1) for api in API_NAMES]
    with pytest.raises(MergeError, match="different APIs"):
        merge_results(results, bundle_api(API_NAMES[0]))


def test_merge_of_an_unreadable_file_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "result.json"
    bad.write_text("{not json")
    done = CliRunner().invoke(cli, ["report", "merge", str(bad), "-o", str(tmp_path / "o")])
    assert done.exit_code == 2 and "not a readable result.json" in done.output


def test_test_command_refuses_a_bad_shard() -> None:
    done = CliRunner().invoke(cli, ["test", "tyk-dashboard", "--shard", "3/2"])
    assert done.exit_code == 2 and "must be K/N" in done.output


def _slice(data: dict[str, Any], operation_ids: list[str], *, first: bool) -> SuiteResult:
    """The part of a result.json that a shard of these operations would have written (the run's
    errors and waiver notes go with the first part only, so that merging does not repeat them)."""
    part = dict(
        data, operations=[op for op in data["operations"] if op["operationId"] in operation_ids]
    )
    if not first:
        part.update(errors=[], waiver_notes=[])
    return SuiteResult.from_json(part)


def test_merge_of_a_runs_shards_with_writes_gives_back_the_run(tmp_path: Path) -> None:
    # With writes, separate shard runs meet different data than one full run (see READ_ONLY), so
    # the traffic is held fixed instead: one full run, creates, updates and deletes included, cut
    # into its two shards' parts and merged again must be that run, coverage and all.
    spec = bundle_api("tyk-dashboard")
    full = _run(None, tmp_path / "full")
    assert any(op.method != "GET" and op.cases for op in full.operations.values())
    data = json.loads(json.dumps(full.to_json()))
    halves = [_slice(data, shard_operations(spec, k, 2), first=k == 1) for k in (1, 2)]
    merged = merge_results(halves, spec)
    assert _without_timing(merged.coverage) == _without_timing(full.coverage)
    again = merged.to_json()
    for name in ("operations", "errors", "waiver_notes", "cases"):
        assert again[name] == data[name], name


def test_requests_outside_the_base_path_add_up_and_older_results_have_none() -> None:
    older = SuiteResult("tyk-dashboard", "http://x", "t", None, 0, 1).to_json()
    del older["outside_base_path"]  # a result.json written before the count existed
    sessions = [
        SuiteResult.from_json(older),
        SuiteResult("tyk-dashboard", "http://y", "t", None, 0, 1),
    ]
    assert sessions[0].outside_base_path == 0
    sessions[1].outside_base_path = 3
    merged = merge_results(sessions, bundle_api("tyk-dashboard"))
    assert merged.outside_base_path == 3 and merged.to_json()["outside_base_path"] == 3
