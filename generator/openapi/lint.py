"""The project's own lint rules, each a small function registered under a rule id."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from generator.openapi.access import access_findings
from generator.openapi.bundle import Bundle
from generator.openapi.decisions import decision_findings
from generator.openapi.examples import example_findings
from generator.openapi.findings import Finding
from generator.openapi.refs import UnresolvedRef, resolve, resolve_pointer
from generator.openapi.structure import iter_local_refs
from generator.openapi.walk import iter_operations

Rule = Callable[[Bundle], Iterator[Finding]]
RULES: dict[str, Rule] = {}
_CAMEL_CASE = re.compile(r"^[a-z][a-zA-Z0-9]*$")
_TEMPLATE = re.compile(r"\{([^{}]+)\}")


def rule(rule_id: str) -> Callable[[Rule], Rule]:
    def register(function: Rule) -> Rule:
        RULES[rule_id] = function
        return function

    return register


def lint(bundle: Bundle) -> list[Finding]:
    return [finding for check in RULES.values() for finding in check(bundle)]


@rule("operationid-camelcase")
def operation_ids_are_camel_case(bundle: Bundle) -> Iterator[Finding]:
    """Every operation has a camelCase operationId."""
    for operation in iter_operations(bundle.document):
        operation_id = operation.node.get("operationId")
        if not isinstance(operation_id, str) or not operation_id:
            yield bundle.finding(
                operation.pointer, "operationid-camelcase", f"{operation.label} has no operationId"
            )
        elif not _CAMEL_CASE.match(operation_id):
            yield bundle.finding(
                (*operation.pointer, "operationId"),
                "operationid-camelcase",
                f"operationId {operation_id!r} is not camelCase",
            )


@rule("operationid-unique")
def operation_ids_are_unique(bundle: Bundle) -> Iterator[Finding]:
    """No two operations share an operationId."""
    first_seen: dict[str, str] = {}
    for operation in iter_operations(bundle.document):
        operation_id = operation.node.get("operationId")
        if not isinstance(operation_id, str):
            continue
        if operation_id in first_seen:
            yield bundle.finding(
                (*operation.pointer, "operationId"),
                "operationid-unique",
                f"operationId {operation_id!r} is also used by {first_seen[operation_id]}",
            )
        else:
            first_seen[operation_id] = operation.label


def _required_operation_field(field: str, rule_id: str) -> Rule:
    def check(bundle: Bundle) -> Iterator[Finding]:
        for operation in iter_operations(bundle.document):
            value = operation.node.get(field)
            if value in (None, "", []):
                yield bundle.finding(
                    operation.pointer, rule_id, f"{operation.label} has no {field}"
                )

    check.__doc__ = f"Every operation has a {field}."
    return check


for _field in ("summary", "description", "tags"):
    rule(f"operation-{_field}")(_required_operation_field(_field, f"operation-{_field}"))


@rule("operation-security")
def operations_declare_security(bundle: Bundle) -> Iterator[Finding]:
    """Every operation states its security (an explicit [] means deliberately public)."""
    for operation in iter_operations(bundle.document):
        if "security" not in operation.node:
            yield bundle.finding(
                operation.pointer, "operation-security", f"{operation.label} has no security"
            )


@rule("operation-4xx")
def operations_document_a_client_error(bundle: Bundle) -> Iterator[Finding]:
    """Every operation documents at least one 4xx response."""
    for operation in iter_operations(bundle.document):
        codes = [str(code) for code in (operation.node.get("responses") or {})]
        if not any(code.startswith("4") for code in codes):
            yield bundle.finding(
                (*operation.pointer, "responses"),
                "operation-4xx",
                f"{operation.label} documents no 4xx response",
            )


def _parameters(bundle: Bundle) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    document = bundle.document
    for name, parameter in ((document.get("components") or {}).get("parameters") or {}).items():
        yield ("components", "parameters", name), parameter
    for path, item in (document.get("paths") or {}).items():
        for index, parameter in enumerate(item.get("parameters") or []):
            yield ("paths", path, "parameters", index), parameter
    for operation in iter_operations(document):
        for index, parameter in enumerate(operation.node.get("parameters") or []):
            yield (*operation.pointer, "parameters", index), parameter


def _headers(bundle: Bundle) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    document = bundle.document
    for name, header in ((document.get("components") or {}).get("headers") or {}).items():
        yield ("components", "headers", name), header
    responses = [
        (("components", "responses", name), response)
        for name, response in ((document.get("components") or {}).get("responses") or {}).items()
    ]
    for operation in iter_operations(document):
        for code, response in (operation.node.get("responses") or {}).items():
            responses.append(((*operation.pointer, "responses", code), response))
    for pointer, response in responses:
        if isinstance(response, dict):
            for name, header in (response.get("headers") or {}).items():
                yield (*pointer, "headers", name), header


@rule("parameter-description")
def parameters_are_described(bundle: Bundle) -> Iterator[Finding]:
    """Every parameter and response header has a description."""
    for pointer, parameter in [*_parameters(bundle), *_headers(bundle)]:
        described = not isinstance(parameter, dict) or "$ref" in parameter
        if not described and not parameter.get("description"):
            name = parameter.get("name", pointer[-1])
            yield bundle.finding(
                pointer, "parameter-description", f"parameter or header {name!r} has no description"
            )


@rule("property-description")
def properties_are_described(bundle: Bundle) -> Iterator[Finding]:
    """Every schema property has a description (its own, or that of the schema it refers to)."""
    for pointer, schema in bundle.schemas():
        for name, prop in (schema.get("properties") or {}).items():
            if not isinstance(prop, dict) or prop.get("description"):
                continue
            ref = prop.get("$ref")
            if isinstance(ref, str) and ref.startswith("#"):
                try:
                    if resolve_pointer(bundle.document, ref).get("description"):
                        continue
                except (KeyError, AttributeError):
                    pass
            yield bundle.finding(
                (*pointer, "properties", name),
                "property-description",
                f"property {name!r} has no description",
            )


@rule("example-valid")
def examples_match_their_schemas(bundle: Bundle) -> Iterator[Finding]:
    """Every example validates against its schema."""
    yield from example_findings(bundle)


@rule("no-unused-components")
def components_are_used(bundle: Bundle) -> Iterator[Finding]:
    """Every component file and every root component is referenced."""
    document = bundle.document
    referenced = {ref for _, ref in iter_local_refs(document) if ref.startswith("#")}
    schemes_used = {
        name for requirement in _security_requirements(document) for name in (requirement or {})
    }
    for kind, members in (document.get("components") or {}).items():
        for name in members or {}:
            if kind == "securitySchemes":
                used = name in schemes_used
            else:
                used = f"#/components/{kind}/{name}" in referenced
            if not used:
                yield bundle.finding(
                    ("components", kind, name),
                    "no-unused-components",
                    f"component {kind}/{name} is never used",
                )
    components_dir = bundle.api_folder / "components"
    for path in sorted(components_dir.glob("*/*.y*ml")) if components_dir.is_dir() else []:
        if path.resolve() not in bundle.sources:
            yield Finding(
                path.resolve(), 1, 1, "no-unused-components", f"{path.name} is never referenced"
            )


def _security_requirements(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from document.get("security") or []
    for operation in iter_operations(document):
        yield from operation.node.get("security") or []


@rule("path-params-declared")
def path_parameters_match_the_template(bundle: Bundle) -> Iterator[Finding]:
    """Every {name} in a path is a declared, required path parameter, and vice versa."""
    document = bundle.document
    for operation in iter_operations(document):
        in_template = set(_TEMPLATE.findall(operation.path))
        declared: set[str] = set()
        for parameter in [
            *(operation.path_item.get("parameters") or []),
            *(operation.node.get("parameters") or []),
        ]:
            resolved = _resolve(document, parameter)
            if isinstance(resolved, dict) and resolved.get("in") == "path":
                declared.add(str(resolved.get("name")))
        for name in sorted(in_template - declared):
            yield bundle.finding(
                operation.pointer,
                "path-params-declared",
                f"{operation.label}: path parameter {{{name}}} is not declared",
            )
        for name in sorted(declared - in_template):
            yield bundle.finding(
                (*operation.pointer, "parameters"),
                "path-params-declared",
                f"{operation.label}: path parameter {name!r} is not in the path",
            )


def _path_file_name(path: str) -> str:
    """The file of a path item: the leading slash dropped, the other slashes `_`, braces kept."""
    return "paths/" + path.lstrip("/").replace("/", "_") + ".yaml"


@rule("path-file-named")
def path_items_live_in_their_files(bundle: Bundle) -> Iterator[Finding]:
    """Each path item is its own file under paths/, named after its path (spec-conventions.md)."""
    for path in bundle.document.get("paths") or {}:
        expected = _path_file_name(path)
        origin = bundle.origins.get(("paths", path))
        if origin is None:
            yield bundle.finding(
                ("paths", path), "path-file-named", f"{path} is written here; move it to {expected}"
            )
        elif origin[0].resolve() != (bundle.api_folder / expected).resolve():
            actual = origin[0].resolve().relative_to(bundle.api_folder.resolve()).as_posix()
            yield bundle.finding(
                ("paths", path),
                "path-file-named",
                f"{path} is in {actual}; the layout names its file {expected}",
            )


def _resolve(document: dict[str, Any], node: Any) -> Any:
    """The node a ref leads to; None for one that does not resolve (another rule reports it)."""
    try:
        return resolve(document, node)
    except UnresolvedRef:
        return None


@rule("decision-recorded")
def decisions_are_recorded(bundle: Bundle) -> Iterator[Finding]:
    """Every `x-decisions` id has its row in docs/seed-decisions.md (skipped without the record);
    no description holds a "Seed decision" record."""
    yield from decision_findings(bundle)


@rule("example-access")
def examples_respect_read_and_write_only(bundle: Bundle) -> Iterator[Finding]:
    """No request example holds a readOnly property, no response example a writeOnly one."""
    yield from access_findings(bundle)
