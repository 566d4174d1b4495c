"""Contract coverage: how much of the contract some traffic exercised, the same for every source.

`usersapi test` and `usersapi proxy` both record, per operation, the status codes answered
(`OperationStats.status_codes`) and the names of the parameters, request fields and response
fields present (`OperationStats.exercised`, filled by `record_exchange`). Coverage compares those
with what the contract declares; merged runs union what they saw, so coverage merges too.

An item is one operation, one declared status of an operation, one parameter, one request field
or one response field (a dotted path, `[]` for array items: `users[].email`). The figure of an
API is the share of its items seen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.openapi.refs import UnresolvedRef, resolve
from generator.openapi.walk import iter_operations

from .results import OperationStats, SuiteResult

KINDS = ("parameters", "request_fields", "response_fields")
_MAX_DEPTH = 4  # field paths deeper than this add little and recursive schemas never end


def _resolve(spec: dict[str, Any], node: Any) -> Any:
    try:
        return resolve(spec, node)
    except UnresolvedRef:  # counted as declaring nothing
        return {}


def schema_fields(spec: dict[str, Any], schema: Any, prefix: str = "", depth: int = 0) -> set[str]:
    """Every property path a schema declares (through allOf/anyOf/oneOf and array items)."""
    schema = _resolve(spec, schema)
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return set()
    found: set[str] = set()
    for name, prop in (schema.get("properties") or {}).items():
        path = f"{prefix}{name}"
        found.add(path)
        found |= schema_fields(spec, prop, path + ".", depth + 1)
    items = schema.get("items")
    if isinstance(items, dict):
        found |= schema_fields(spec, items, prefix.rstrip(".") + "[].", depth + 1)
    for key in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(key) or ():
            found |= schema_fields(spec, part, prefix, depth)
    return found


def value_fields(value: Any, prefix: str = "") -> set[str]:
    """Every property path present in a JSON value, spelt as `schema_fields` spells them."""
    found: set[str] = set()
    _add_value_fields(value, prefix, 0, found)
    return found


def _add_value_fields(value: Any, prefix: str, depth: int, found: set[str]) -> None:
    # Filled in place, scalars never visited: a listing of many users is walked on every answer
    # of a run, and generators per node made this a tenth of the suite's own time.
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, dict):
        for name, item in value.items():
            path = f"{prefix}{name}"
            found.add(path)
            if isinstance(item, dict | list):
                _add_value_fields(item, path + ".", depth + 1, found)
    elif isinstance(value, list):
        inner = prefix.rstrip(".") + "[]."
        for item in value:
            if isinstance(item, dict | list):
                _add_value_fields(item, inner, depth + 1, found)


@dataclass(frozen=True)
class Declared:
    statuses: frozenset[str]
    parameters: frozenset[str]  # "query:limit", "header:Elements-User-Password"
    request_fields: frozenset[str]
    response_fields: frozenset[str]


def _parameters(spec: dict[str, Any], nodes: list[Any]) -> set[str]:
    found = set()
    for raw in nodes:
        param = _resolve(spec, raw)
        if isinstance(param, dict) and "name" in param:
            found.add(f"{param.get('in')}:{param['name']}")
    return found


def _media_fields(spec: dict[str, Any], holder: Any) -> set[str]:
    content = (_resolve(spec, holder) or {}).get("content") or {}
    return {
        field
        for media_type, media in content.items()
        if "json" in media_type
        for field in schema_fields(spec, media.get("schema"))
    }


def declared_items(spec: dict[str, Any]) -> dict[str, Declared]:
    """Per operation label ("GET /users"), what its contract declares."""
    declared = {}
    for operation in iter_operations(spec):
        node = operation.node
        params = _parameters(spec, list(operation.path_item.get("parameters") or ()))
        params |= _parameters(spec, list(node.get("parameters") or ()))
        responses = node.get("responses") or {}
        declared[operation.label] = Declared(
            statuses=frozenset(str(code) for code in responses),
            parameters=frozenset(params),
            request_fields=frozenset(_media_fields(spec, node.get("requestBody"))),
            response_fields=frozenset(
                field for response in responses.values() for field in _media_fields(spec, response)
            ),
        )
    return declared


def status_declared(code: str, declared: frozenset[str]) -> str | None:
    """The response key of the contract that covers a status code (`404`, `4XX`, `default`)."""
    for key in (code, f"{code[0]}XX", "default"):
        if key in declared:
            return key
    return None


def record_exchange(
    stats: OperationStats,
    *,
    path: Mapping[str, Any],
    query: Mapping[str, Any],
    headers: Mapping[str, Any],
    body: Any,
    response_body: Any,
) -> None:
    """Note which parameters and fields one request and its answer carried."""
    seen = stats.exercised
    seen["parameters"].update(f"path:{name}" for name in path)
    seen["parameters"].update(f"query:{name}" for name in query)
    seen["parameters"].update(f"header:{name}" for name in headers)
    if isinstance(body, dict | list):
        seen["request_fields"].update(value_fields(body))
    if isinstance(response_body, dict | list):
        seen["response_fields"].update(value_fields(response_body))


def _case_insensitive(names: frozenset[str], seen: set[str]) -> set[str]:
    """Header names compare without case; the others exactly."""
    lowered = {name.lower() for name in seen if name.startswith("header:")}
    return {
        name
        for name in names
        if name in seen or (name.startswith("header:") and name.lower() in lowered)
    }


def operation_coverage(op: OperationStats, declared: Declared) -> dict[str, Any]:
    seen_statuses = set(op.status_codes)
    covered = {status_declared(code, declared.statuses) for code in seen_statuses}
    row: dict[str, Any] = {
        "operation": op.label,
        "operationId": op.operation_id,
        "called": op.cases > 0,
        "statuses": {
            "declared": sorted(declared.statuses),
            "seen": sorted(declared.statuses & covered),
            "not_seen": sorted(declared.statuses - covered),
            "undeclared_seen": sorted(
                c for c in seen_statuses if status_declared(c, declared.statuses) is None
            ),
        },
    }
    for kind in KINDS:
        names: frozenset[str] = getattr(declared, kind)
        seen = _case_insensitive(names, op.exercised[kind])
        row[kind] = {"declared": len(names), "seen": sorted(seen), "not_seen": sorted(names - seen)}
    return row


def _items(row: dict[str, Any]) -> tuple[int, int]:
    """(seen, declared) items of one operation row."""
    seen = int(row["called"]) + len(row["statuses"]["seen"])
    total = 1 + len(row["statuses"]["declared"])
    for kind in KINDS:
        seen += len(row[kind]["seen"])
        total += row[kind]["declared"]
    return seen, total


def contract_coverage(spec: dict[str, Any], result: SuiteResult) -> dict[str, Any]:
    """The coverage of one API by a run, JSON-ready (stored in result.json as `coverage`)."""
    declared = declared_items(spec)
    rows = [
        operation_coverage(op, declared[label])
        for label, op in result.operations.items()
        if label in declared
    ]
    totals: dict[str, Any] = {
        "operations": {"declared": len(rows), "seen": sum(r["called"] for r in rows)},
        "statuses": {
            "declared": sum(len(r["statuses"]["declared"]) for r in rows),
            "seen": sum(len(r["statuses"]["seen"]) for r in rows),
        },
        "undeclared_statuses_seen": sum(len(r["statuses"]["undeclared_seen"]) for r in rows),
    }
    for kind in KINDS:
        totals[kind] = {
            "declared": sum(r[kind]["declared"] for r in rows),
            "seen": sum(len(r[kind]["seen"]) for r in rows),
        }
    seen, total = (
        (sum(pair) for pair in zip(*(_items(r) for r in rows), strict=True)) if rows else (0, 0)
    )
    totals["items"] = {"declared": total, "seen": seen}
    totals["percent"] = round(100.0 * seen / total, 1) if total else 100.0
    return {"api": result.api, "totals": totals, "operations": rows}


def _share(part: dict[str, int]) -> str:
    return f"{part['seen']}/{part['declared']}"


_HEADER = ("operation", "called", "statuses", "params", "req", "resp")


def _cells(row: dict[str, Any]) -> list[str]:
    """One operation's cells: its label, then the figures of `_HEADER`."""
    statuses = row["statuses"]
    return [
        row["operation"],
        "yes" if row["called"] else "no",
        f"{len(statuses['seen'])}/{len(statuses['declared'])}",
        *(f"{len(row[kind]['seen'])}/{row[kind]['declared']}" for kind in KINDS),
    ]


def _aligned(cells: list[str], widths: list[int]) -> str:
    """The label left-aligned, the figures right-aligned: each column as wide as its widest
    cell, so that a long label or a four-digit count moves the whole column, not one row."""
    label, *figures = cells
    right = (cell.rjust(width) for cell, width in zip(figures, widths[1:], strict=True))
    return "  ".join([label.ljust(widths[0]), *right])


def coverage_table(coverage: dict[str, Any]) -> str:
    """The coverage as a terminal table: one row per operation, then the API's totals."""
    rows = [(_cells(row), row["statuses"]["undeclared_seen"]) for row in coverage["operations"]]
    columns = zip(_HEADER, *(cells for cells, _ in rows), strict=True)
    widths = [max(map(len, column)) for column in columns]
    lines = [_aligned(list(_HEADER), widths)]
    for cells, undeclared in rows:
        note = f"  undeclared: {', '.join(undeclared)}" if undeclared else ""
        lines.append(_aligned(cells, widths) + note)
    totals = coverage["totals"]
    lines.append(
        f"{coverage['api']} coverage: {totals['percent']}% of {totals['items']['declared']} items"
        f" (operations {_share(totals['operations'])}, statuses {_share(totals['statuses'])},"
        f" parameters {_share(totals['parameters'])},"
        f" request fields {_share(totals['request_fields'])},"
        f" response fields {_share(totals['response_fields'])})"
    )
    return "\n".join(lines)
