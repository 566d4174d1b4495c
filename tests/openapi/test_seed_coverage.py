"""Every operation and field the seed documents appears in the bundled contract of its API.

The seeds (kept in ``docs/seeds``, copied from ``../shared/seeds``) are parsed, not restated:
operations come from "METHOD /path" lines, curl calls and property tables, fields from JSON keys
and from the rows of field tables. Dropping a seed operation or field from the contract fails
this test.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from generator.openapi.apis import API_NAMES
from generator.openapi.bundle import bundle_api

ROOT = Path(__file__).resolve().parents[2]
SEEDS_DIR = ROOT / "docs" / "seeds"
SHARED_SEEDS_DIR = ROOT.parent / "shared" / "seeds"  # the originals, when next to the checkout
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_METHOD = "|".join(METHODS)

# "GET /users/{id}" in prose, backticks or an HTTP request line.
_METHOD_PATH = re.compile(rf"(?<![\w-])({_METHOD})\s+`?(/[^\s`]*)")
# curl -X METHOD ... <url>: the URL may follow on a later line.
_CURL = re.compile(rf"curl\s+-X\s+({_METHOD})\b(.*?)(?=curl\s+-X|\Z)", re.DOTALL)
_URL = re.compile(r"https?://[^\s'\"\\]+")
# Property tables (Tyk): "| Resource URL | `/api/users` |" and "| Method | POST |".
_TABLE_URL = re.compile(r"^\|\s*Resource URL\s*\|\s*`([^`]+)`", re.MULTILINE)
_TABLE_METHOD = re.compile(rf"^\|\s*Method\s*\|\s*({_METHOD})\s*\|", re.MULTILINE)
_JSON_KEY = re.compile(r'"([A-Za-z_][A-Za-z0-9_]*)"\s*:')
# Headings of field tables and parameter tables in the Cloud Elements pages.
_FIELD_HEADING = re.compile(r"(Response Fields|Body Parameters)\s*$")
_PARAM_HEADING = re.compile(r"(Query|Header) Parameters\s*$")
_OTHER_HEADING = re.compile(r"(Parameters|Fields|Example Request|Example Response)\s*$")
# A field name alone on a line, or glued to its description ("passwordA placeholder ...").
_FIELD_NAME = re.compile(r"^([a-z][A-Za-z0-9]*)(?:$|(?=[A-Z][a-z]* ))")
_PARAM_NAME = re.compile(r"^([A-Za-z][A-Za-z0-9-]*)(?:$|(?=[A-Z][a-z]* ))")


@dataclass
class SeedFacts:
    operations: set[tuple[str, str]] = field(default_factory=set)
    fields: set[str] = field(default_factory=set)
    parameters: set[str] = field(default_factory=set)


def api_of_seed(text: str) -> str | None:
    """Which API a seed describes, from its content (a Tyk page has /api/ resource URLs)."""
    if _TABLE_URL.search(text) and "/api/" in text:
        return "tyk-dashboard"
    if "api-v2" in text or "Cloud" in text:
        return "cloud-elements"
    return None


def normalise_path(raw: str, base_paths: list[str]) -> str:
    """A seed path with its defects repaired: host and base prefix, query, stray braces, regexes."""
    path = re.sub(r"^https?://[^/]+", "", raw.strip().rstrip("\\'\"`,."))
    path = path.split("?", 1)[0]
    # Seed 002 glues the next heading to a URL ending in an email: "...@cloud-elements.comRetrieve".
    path = re.sub(r"(@[^/]*\.[a-z]+)[A-Z][A-Za-z]*$", r"\1", path)
    for base in sorted(base_paths, key=len, reverse=True):
        if base and (path == base or path.startswith(base + "/")):
            path = path[len(base) :]
            break
    else:
        # Seed 000 garbles the host and prefix ("/your_moms/api-v2"); the version marker stays.
        path = re.sub(r"^/[^/]+/api-v2(?=/|$)", "", path)
    path = re.sub(r"\{([^{}:]+):[^{}]*\}", r"{\1}", path)  # {emailOrId:.+}
    path = re.sub(r"\}+", "}", path)  # {user-id}}
    return path.rstrip("/") or "/"


def _segment_matches(seed: str, spec: str) -> bool:
    if spec.startswith("{") and spec.endswith("}"):
        return seed != ""  # a template or a concrete value both fill a parameter
    return seed == spec


def path_matches(seed_path: str, spec_path: str) -> bool:
    seed_parts, spec_parts = seed_path.split("/"), spec_path.split("/")
    return len(seed_parts) == len(spec_parts) and all(
        _segment_matches(a, b) for a, b in zip(seed_parts, spec_parts, strict=True)
    )


def _operations(text: str, base_paths: list[str]) -> Iterator[tuple[str, str]]:
    tables = sorted(
        [(m.start(), "url", m.group(1)) for m in _TABLE_URL.finditer(text)]
        + [(m.start(), "method", m.group(1)) for m in _TABLE_METHOD.finditer(text)]
    )
    if tables:
        # The table's Method row is the documented method; sample request lines below a table
        # (seed 004 shows GET for POST) take the method of that table.
        events = tables + [(m.start(), "line", m.group(2)) for m in _METHOD_PATH.finditer(text)]
        method = None
        for _, kind, value in sorted(events):
            if kind == "method":
                method = value
            elif kind == "url":
                continue
            elif method is not None:
                yield method, normalise_path(value, base_paths)
        urls = [value for _, kind, value in tables if kind == "url"]
        methods = [value for _, kind, value in tables if kind == "method"]
        for url, table_method in zip(urls, methods, strict=True):
            yield table_method, normalise_path(url, base_paths)
        return
    for match in _METHOD_PATH.finditer(text):
        yield match.group(1), normalise_path(match.group(2), base_paths)
    for match in _CURL.finditer(text):
        url = _URL.search(match.group(2))
        if url:
            yield match.group(1), normalise_path(url.group(0), base_paths)


def _table_names(text: str) -> Iterator[tuple[str, str]]:
    """(kind, name) for each row of a field table ("field") or query/header table ("param")."""
    mode = None
    for raw_line in text.splitlines():
        line = raw_line.strip().lstrip("#").strip()
        if _FIELD_HEADING.search(line):
            mode = "field"
            continue
        if _PARAM_HEADING.search(line):
            mode = "param"
            continue
        if _OTHER_HEADING.search(line):
            mode = None
            continue
        if mode is None or not line:
            continue
        if line.startswith("|"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            if not cells or not cells[0] or set(cells[0]) <= set("-: "):
                continue
            candidate = cells[0].split()[-1]
        else:
            candidate = line
        match = (_FIELD_NAME if mode == "field" else _PARAM_NAME).match(candidate)
        if match is None:
            continue
        name = match.group(1)
        if mode == "param" and not (name[0].islower() or "-" in name):
            continue  # "The ...", "Optional": descriptions, not parameter names
        yield mode, name


def seed_facts(text: str, base_paths: list[str]) -> SeedFacts:
    facts = SeedFacts(operations=set(_operations(text, base_paths)))
    facts.fields.update(_JSON_KEY.findall(text))
    for kind, name in _table_names(text):
        (facts.fields if kind == "field" else facts.parameters).add(name)
    return facts


def spec_base_paths(spec: dict[str, Any]) -> list[str]:
    return [re.sub(r"^https?://[^/]+", "", s.get("url", "")) for s in spec.get("servers") or []]


def spec_operations(spec: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, item in (spec.get("paths") or {}).items()
        for method in item
        if method.upper() in METHODS
    }


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def spec_property_names(spec: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    for node in _walk(spec):
        properties = node.get("properties")
        if isinstance(properties, dict):
            names.update(properties)
    return names


def spec_parameter_names(spec: dict[str, Any]) -> set[str]:
    return {
        str(node["name"]).lower()
        for node in _walk(spec)
        if isinstance(node.get("name"), str) and node.get("in") in ("query", "header", "path")
    }


def missing_operations(facts: SeedFacts, spec: dict[str, Any]) -> list[str]:
    operations = spec_operations(spec)
    return sorted(
        f"{method} {path}"
        for method, path in facts.operations
        if not any(m == method and path_matches(path, p) for m, p in operations)
    )


def missing_fields(facts: SeedFacts, spec: dict[str, Any]) -> list[str]:
    return sorted(facts.fields - spec_property_names(spec))


def missing_parameters(facts: SeedFacts, spec: dict[str, Any]) -> list[str]:
    known = spec_parameter_names(spec)
    return sorted(name for name in facts.parameters if name.lower() not in known)


def _seed_files() -> list[Path]:
    return sorted(SEEDS_DIR.glob("*.txt"))


def test_the_kept_seeds_are_the_originals() -> None:
    assert len(_seed_files()) == 5
    if not SHARED_SEEDS_DIR.is_dir():
        pytest.skip(f"{SHARED_SEEDS_DIR} is absent: nothing to compare the copies with")
    originals = {path.name: path.read_bytes() for path in SHARED_SEEDS_DIR.glob("*.txt")}
    assert originals == {path.name: path.read_bytes() for path in _seed_files()}


@pytest.fixture(scope="module", params=API_NAMES)
def api_case(request: pytest.FixtureRequest) -> tuple[str, dict[str, Any], dict[str, SeedFacts]]:
    api = request.param
    spec = bundle_api(api)
    bases = spec_base_paths(spec)
    seeds = {}
    for path in _seed_files():
        text = path.read_text(encoding="utf-8")
        if api_of_seed(text) == api:
            seeds[path.name] = seed_facts(text, bases)
    if not seeds:
        pytest.fail(f"no seed in {SEEDS_DIR} describes {api}")
    return api, spec, seeds


def test_every_seed_belongs_to_an_api() -> None:
    unknown = [p.name for p in _seed_files() if api_of_seed(p.read_text("utf-8")) is None]
    assert not unknown, f"cannot tell which API these seeds describe: {unknown}"


def test_extraction_finds_operations_and_fields(api_case: Any) -> None:
    api, _, seeds = api_case
    for name, facts in seeds.items():
        assert facts.operations, f"{name}: no operation extracted"
        assert facts.fields, f"{name}: no field extracted"


def test_seed_operations_are_in_the_spec(api_case: Any) -> None:
    api, spec, seeds = api_case
    problems = [
        f"{name}: {op}" for name, facts in seeds.items() for op in missing_operations(facts, spec)
    ]
    assert not problems, f"{api}: seed operations missing from the spec:\n" + "\n".join(problems)


def test_seed_fields_are_spec_properties(api_case: Any) -> None:
    api, spec, seeds = api_case
    problems = [
        f"{name}: {field_name}"
        for name, facts in seeds.items()
        for field_name in missing_fields(facts, spec)
    ]
    assert not problems, f"{api}: seed fields that are no property of the spec:\n" + "\n".join(
        problems
    )


def test_seed_query_and_header_parameters_are_in_the_spec(api_case: Any) -> None:
    api, spec, seeds = api_case
    problems = [
        f"{name}: {param}"
        for name, facts in seeds.items()
        for param in missing_parameters(facts, spec)
    ]
    assert not problems, f"{api}: seed parameters missing from the spec:\n" + "\n".join(problems)


def test_a_dropped_field_or_operation_is_reported(api_case: Any) -> None:
    """The checks can fail: remove one seed field and one seed path from a copy of the spec."""
    _, spec, seeds = api_case
    facts = next(iter(seeds.values()))
    dropped_field = sorted(facts.fields)[0]
    damaged = copy.deepcopy(spec)
    for node in _walk(damaged):
        if isinstance(node.get("properties"), dict):
            node["properties"].pop(dropped_field, None)
    assert dropped_field in missing_fields(facts, damaged)
    method, seed_path = sorted(facts.operations)[0]
    for path in list(damaged["paths"]):
        if path_matches(seed_path, path):
            damaged["paths"][path].pop(method.lower(), None)
    assert f"{method} {seed_path}" in missing_operations(facts, damaged)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("/api/users/{user-id}}", "/api/users/{user-id}"),
        ("https://api.cloud-elements.com/elements/api-v2/users?where=x", "/users"),
        ("https://api.cloud-your_moms.com/your_moms/api-v2/users/412", "/users/412"),
        ("/accounts/{id}/users/{emailOrId:.+}", "/accounts/{id}/users/{emailOrId}"),
        ("https://x/elements/api-v2/users/a@b.comRetrieve", "/users/a@b.com"),
    ],
)
def test_seed_paths_are_normalised(raw: str, expected: str) -> None:
    assert normalise_path(raw, ["/elements/api-v2"]) == expected
