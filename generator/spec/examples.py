"""Check every example in the contract against the schema it illustrates (JSON Schema 2020-12)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from generator.spec.bundle import Bundle
from generator.spec.findings import Finding
from generator.spec.structure import resolve_pointer
from generator.spec.walk import iter_schema_holders, iter_schema_roots, iter_schemas
from generator.spec.yaml_source import Pointer

_BUNDLE_URI = "urn:usersapi:bundle"


def json_pointer(pointer: Pointer) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in pointer)


class ExampleChecker:
    """Validators for schemas of one bundle, compiled once per schema location."""

    def __init__(self, document: dict[str, Any]) -> None:
        resource = Resource(contents=document, specification=DRAFT202012)
        self._registry: Registry = Registry().with_resource(_BUNDLE_URI, resource)
        self._validators: dict[Pointer, Draft202012Validator] = {}

    def problem(self, schema_pointer: Pointer, value: Any) -> str | None:
        validator = self._validators.get(schema_pointer)
        if validator is None:
            schema = {"$ref": f"{_BUNDLE_URI}#{json_pointer(schema_pointer)}"}
            validator = Draft202012Validator(
                schema,
                registry=self._registry,
                format_checker=Draft202012Validator.FORMAT_CHECKER,
            )
            self._validators[schema_pointer] = validator
        try:
            error = best_match(validator.iter_errors(value))
        except Exception as failure:  # noqa: BLE001 - a broken schema is reported, not raised
            return f"schema could not be applied: {failure}"
        if error is None:
            return None
        where = json_pointer(tuple(error.absolute_path)) or "the top level"
        return f"{error.message[:200]} (at {where})"


def example_findings(bundle: Bundle) -> Iterator[Finding]:
    document = bundle.document
    checker = ExampleChecker(document)
    for holder_pointer, holder in iter_schema_holders(document):
        schema_pointer = (*holder_pointer, "schema")
        if "example" in holder:
            problem = checker.problem(schema_pointer, holder["example"])
            if problem:
                yield bundle.finding(
                    (*holder_pointer, "example"), "example-valid", f"example: {problem}"
                )
        for name, example in (holder.get("examples") or {}).items():
            value, label = _example_value(document, example, name)
            if value is _MISSING:
                continue
            problem = checker.problem(schema_pointer, value)
            if problem:
                yield bundle.finding(
                    (*holder_pointer, "examples", name),
                    "example-valid",
                    f"example {label} does not match its schema: {problem}",
                )
    for root_pointer, root in iter_schema_roots(document):
        for pointer, schema in iter_schemas(root, root_pointer):
            values = schema.get("examples")
            if isinstance(values, list):
                for index, value in enumerate(values):
                    problem = checker.problem(pointer, value)
                    if problem:
                        yield bundle.finding(
                            (*pointer, "examples", index),
                            "example-valid",
                            f"schema example does not match: {problem}",
                        )
            if "example" in schema:
                problem = checker.problem(pointer, schema["example"])
                if problem:
                    yield bundle.finding(
                        (*pointer, "example"),
                        "example-valid",
                        f"schema example does not match: {problem}",
                    )


_MISSING = object()


def _example_value(document: dict[str, Any], example: Any, name: str) -> tuple[Any, str]:
    label = repr(name)
    if isinstance(example, dict) and isinstance(example.get("$ref"), str):
        label = f"{name!r} ({example['$ref'].rsplit('/', 1)[-1]})"
        try:
            example = resolve_pointer(document, example["$ref"])
        except KeyError:
            return _MISSING, label
    if isinstance(example, dict) and "value" in example:
        return example["value"], label
    return _MISSING, label
