"""Check every example in the contract against the schema it illustrates (JSON Schema 2020-12)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from generator.openapi.bundle import Bundle
from generator.openapi.findings import Finding
from generator.openapi.refs import resolve_pointer
from generator.openapi.yaml_source import Pointer

_BUNDLE_URI = "urn:usersapi:bundle"
_SCOPED_KEYWORDS = re.compile(
    r'"\$(id|anchor|dynamicAnchor|dynamicRef|recursiveRef|recursiveAnchor)"'
)


def _text(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), default=repr)


def json_pointer(pointer: Pointer) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in pointer)


class ExampleChecker:
    """Validators for schemas of one bundle, compiled once per schema, each check made once.

    A schema that is only a local ``$ref`` is checked as its target (the same errors, at the same
    instance paths), so the component every operation refers to is compiled once, and the same
    example against the same schema (a sample repeated in a request and its response) is
    checked once.
    """

    def __init__(self, document: dict[str, Any], *, by_pointer: bool | None = None) -> None:
        # Resource(contents=document, specification=DRAFT202012), as mypy can read it: the
        # attrs-made constructor is hidden from it by referencing's stubs.
        resource = DRAFT202012.create_resource(document)
        self._document = document
        self._registry: Registry = Registry().with_resource(_BUNDLE_URI, resource)
        self._validators: dict[Pointer, Draft202012Validator] = {}
        self._problems: dict[tuple[Pointer | str, str], str | None] = {}
        # Each schema is checked from the document's own validator (evolved to that schema),
        # whose refs resolve against the document: looking a schema up by its pointer in the
        # registry (a resource made at every step) cost a third of the checks. Only a document
        # that changes the base URI or names anchors inside needs the lookup by pointer.
        if by_pointer is None:
            by_pointer = _SCOPED_KEYWORDS.search(_text(document)) is not None
        self._document_validator = (
            None
            if by_pointer
            else Draft202012Validator(document, format_checker=Draft202012Validator.FORMAT_CHECKER)
        )

    def problem(self, schema_pointer: Pointer, value: Any) -> str | None:
        schema_pointer, schema = self._target(schema_pointer)
        try:
            value_text = _text(value)
            schema_text = _text(schema)
        except (TypeError, ValueError):
            return self._check(schema_pointer, value)
        # A schema without refs means the same wherever it is: its content is enough of a key.
        has_refs = "$ref" in schema_text or "$dynamicRef" in schema_text
        where: Pointer | str = schema_pointer if has_refs else schema_text
        key = (where, value_text)
        if key not in self._problems:
            self._problems[key] = self._check(schema_pointer, value)
        return self._problems[key]

    def _target(self, pointer: Pointer) -> tuple[Pointer, Any]:
        """The schema a ref-only schema stands for (followed a few steps), and its pointer."""
        schema: Any = None
        for _ in range(8):
            try:
                schema = resolve_pointer(self._document, "#" + json_pointer(pointer))
            except KeyError:
                return pointer, None
            if not isinstance(schema, dict) or len(schema) != 1:
                return pointer, schema
            ref = schema.get("$ref")
            if not isinstance(ref, str) or not ref.startswith("#/"):
                return pointer, schema
            pointer = tuple(
                part.replace("~1", "/").replace("~0", "~") for part in ref[2:].split("/")
            )
        return pointer, schema

    def _check(self, schema_pointer: Pointer, value: Any) -> str | None:
        validator = self._validators.get(schema_pointer)
        if validator is None:
            try:
                schema = resolve_pointer(self._document, "#" + json_pointer(schema_pointer))
            except KeyError:  # the lookup by pointer says what is missing
                schema = None
            if self._document_validator is not None and schema is not None:
                validator = self._document_validator.evolve(schema=schema)
            else:
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
    for holder_pointer, holder in bundle.schema_holders():
        schema_pointer = (*holder_pointer, "schema")
        if "example" in holder:
            problem = checker.problem(schema_pointer, holder["example"])
            if problem:
                yield bundle.finding(
                    (*holder_pointer, "example"), "example-valid", f"example: {problem}"
                )
        for name, example in (holder.get("examples") or {}).items():
            value, label = example_value(document, example, name)
            if value is MISSING:
                continue
            problem = checker.problem(schema_pointer, value)
            if problem:
                yield bundle.finding(
                    (*holder_pointer, "examples", name),
                    "example-valid",
                    f"example {label} does not match its schema: {problem}",
                )
    for pointer, schema in bundle.schemas():
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


MISSING = object()


def example_value(document: dict[str, Any], example: Any, name: str) -> tuple[Any, str]:
    label = repr(name)
    if isinstance(example, dict) and isinstance(example.get("$ref"), str):
        label = f"{name!r} ({example['$ref'].rsplit('/', 1)[-1]})"
        try:
            example = resolve_pointer(document, example["$ref"])
        except KeyError:
            return MISSING, label
    if isinstance(example, dict) and "value" in example:
        return example["value"], label
    return MISSING, label
