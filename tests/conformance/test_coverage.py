"""Contract coverage: figures for hand-made traffic are exactly what the calls imply."""

from __future__ import annotations

import re

import httpx
from server_harness import running_server

from generator.conformance.coverage import contract_coverage, coverage_table, declared_items
from generator.conformance.results import OperationStats, SuiteResult
from generator.conformance.runner import declared_operations
from generator.openapi.bundle import bundle_api
from generator.proxy.serve import proxying

UNKNOWN = "0" * 24


def _keys(user: dict, prefix: str = "") -> set[str]:
    """A user's keys, and the keys of its object-valued fields (users nest one level)."""
    keys = set()
    for key, value in user.items():
        keys.add(prefix + key)
        if isinstance(value, dict):
            keys |= {f"{prefix}{key}.{sub}" for sub in value}
    return keys


def _row(coverage: dict, label: str) -> dict:
    return next(row for row in coverage["operations"] if row["operation"] == label)


def test_hand_made_calls_through_the_proxy() -> None:
    spec = bundle_api("tyk-dashboard")
    declared = declared_items(spec)
    with running_server() as server:
        creds = server.credentials["tyk-dashboard"]
        auth = {"Authorization": creds["Authorization"]}
        with proxying("tyk-dashboard", server.base_url) as (origin, session):
            listed = httpx.get(origin + "/api/users", headers=auth)
            one = httpx.get(origin + f"/api/users/{creds['user_id']}", headers=auth)
            missing = httpx.get(origin + f"/api/users/{UNKNOWN}", headers=auth)
            httpx.get(origin + "/api/users", params={"p": "1"}, headers=auth)
            assert session.wait_settled()
        coverage = session.result.coverage
    assert (listed.status_code, one.status_code, missing.status_code) == (200, 200, 404)
    totals = coverage["totals"]
    assert totals["operations"] == {"declared": len(declared), "seen": 2}
    listing, getting = _row(coverage, "GET /api/users"), _row(coverage, "GET /api/users/{userId}")
    assert listing["statuses"]["seen"] == ["200"] and getting["statuses"]["seen"] == ["200", "404"]
    assert totals["statuses"]["seen"] == 3
    assert listing["parameters"]["seen"] == ["query:p"]
    assert getting["parameters"]["seen"] == ["path:userId"]
    assert totals["parameters"]["seen"] == 2 and totals["request_fields"]["seen"] == 0
    # The response fields: the keys the answers carried, where the contract declares them.
    user_fields = _keys(one.json()) & declared["GET /api/users/{userId}"].response_fields
    assert set(getting["response_fields"]["seen"]) == user_fields | {"Status", "Message", "Meta"}
    list_fields = {"users", "pages"}.union(*(_keys(u, "users[].") for u in listed.json()["users"]))
    assert set(listing["response_fields"]["seen"]) == list_fields & set(
        declared["GET /api/users"].response_fields
    )
    seen = (
        2
        + 3
        + 2
        + len(getting["response_fields"]["seen"])
        + len(listing["response_fields"]["seen"])
    )
    assert totals["items"]["seen"] == seen
    assert totals["percent"] == round(100 * seen / totals["items"]["declared"], 1)
    untouched = _row(coverage, "DELETE /api/users/{userId}")
    assert not untouched["called"] and untouched["statuses"]["seen"] == []
    assert "tyk-dashboard coverage:" in coverage_table(coverage)


def test_undeclared_status_is_listed_and_counts_nothing() -> None:
    spec = bundle_api("tyk-dashboard")
    result = SuiteResult("tyk-dashboard", "http://x", "t", None, 0, 1)
    op = OperationStats("createUser", "POST", "/api/users", cases=2)
    op.status_codes.update({"201": 1, "200": 1})
    op.exercised["request_fields"].update({"first_name", "not_in_the_contract"})
    result.operations[op.label] = op
    row = _row(contract_coverage(spec, result), "POST /api/users")
    assert row["statuses"]["undeclared_seen"] == ["201"]
    assert row["statuses"]["seen"] == ["200"]
    assert row["request_fields"]["seen"] == ["first_name"]


def _column_ends(line: str) -> list[int]:
    """Where each of the five figures of a table line ends (the label may hold spaces)."""
    return [match.end() for match in re.finditer(r"\S+", line.split("  undeclared:")[0])][-5:]


def test_table_columns_line_up_for_long_labels_and_wide_figures() -> None:
    spec = bundle_api("cloud-elements")
    result = SuiteResult("cloud-elements", "http://x", "t", None, 0, 1)
    result.operations = {stats.label: stats for stats in declared_operations(spec)}
    coverage = contract_coverage(spec, result)
    first = coverage["operations"][0]
    first["operation"] = "GET /organizations/{organizationId}/accounts/{accountId}/users/{userId}"
    first["called"] = True
    first["statuses"].update(
        declared=[str(code) for code in range(100, 1200)], undeclared_seen=["299"]
    )
    first["response_fields"]["declared"] = 12345
    lines = coverage_table(coverage).splitlines()[:-1]  # the totals line is a sentence
    header, rows = lines[0], lines[1:]
    assert len(rows) == len(coverage["operations"])
    label_width = max(len(row["operation"]) for row in coverage["operations"])
    for line, row in zip(rows, coverage["operations"], strict=True):
        assert _column_ends(line) == _column_ends(header), f"\n{header}\n{line}"
        assert line.startswith(row["operation"].ljust(label_width) + "  ")  # a column of labels
    assert "0/1100" in rows[0] and "0/12345" in rows[0] and rows[0].endswith("undeclared: 299")
