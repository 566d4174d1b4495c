"""openapi-spec-validator's OpenAPI 3.1 checks, each piece of work done once.

The validator is used as is, with two of its keyword validators swapped for subclasses that keep
its checks and messages but not two costs that grow faster than the contract:

- its "seen" registries (schemas meta-checked, schemas visited, operationIds) are lists searched
  for every schema and operation: quadratic, about half its time at 5,000 operations;
- its document reader (jsonschema-path) keeps the last 128 resolved paths, and its walk reads
  each node several times over: on a big contract nearly every read resolves from the root
  again. Here the reader keeps every path it resolved;
- each schema's meta-schema check builds a new meta-schema validator (about 1 ms a schema in
  pure Python) and checks identical schemas again (every ``{"type": "integer"}`` id parameter).
  Here one checker per dialect (the same meta-schema, format checker and registry) checks each
  distinct content once, and lets jsonschema-rs (which openapi-spec-validator itself uses for
  the document schema when installed) vouch for the valid ones; see ``_MetaChecker``;
- every step of the reader into the document asks whether the node is subscriptable with
  ``isinstance`` against a runtime Protocol, which Python 3.11 answers by listing the
  protocol's attributes again each time: about a third of the validator's time. While the
  validator runs, a parsed document's dicts and lists are answered without it (they are
  subscriptable); any other node still takes the reader's own step. See ``_plain_data_steps``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from types import ModuleType
from typing import Any

from jsonschema.exceptions import SchemaError
from jsonschema.validators import validator_for
from jsonschema_path import SchemaPath
from jsonschema_path.nodes import SchemaNode
from openapi_spec_validator import OpenAPIV31SpecValidator
from openapi_spec_validator.validation import keywords

jsonschema_rs: ModuleType | None
try:
    import jsonschema_rs
except ImportError:  # pragma: no cover - a declared dependency; without it, all checks in Python
    jsonschema_rs = None

_check_openapi_schema: Callable[[Any, Any, Any], None] | None
try:  # the registry openapi-schema-validator's own check_schema resolves the dialects with
    from openapi_schema_validator._specifications import REGISTRY as _OAS_REGISTRY
    from openapi_schema_validator.validators import check_openapi_schema as _check_openapi_schema
except ImportError:  # pragma: no cover - another layout: keep the validator's own checker
    _OAS_REGISTRY = None
    _check_openapi_schema = None


# Paths resolved by the reader kept at once: a path per node read, a few hundred bytes each.
_RESOLVED_PATHS_KEPT = 1_000_000


class _SeenList(list[Any]):
    """A list (what the validator's code expects) with set-speed membership tests."""

    def __init__(self, items: Iterable[Any] = ()) -> None:
        super().__init__(items)
        self._members: set[Hashable] = set(self)

    def __contains__(self, item: object) -> bool:
        return item in self._members

    def append(self, item: Any) -> None:
        self._members.add(item)
        super().append(item)


class _SchemaValidator(keywords.OpenAPIV31SchemaValidator):
    def __init__(self, registry: Any) -> None:
        super().__init__(registry)
        self.visited_schema_ids = _SeenList()
        self.meta_checked_schema_ids = _SeenList()
        self._meta_validators: dict[tuple[Any, int], Any] = {}

    def _get_schema_checker(self, schema: Any, schema_value: Any) -> Callable[[Any], None]:
        checker = super()._get_schema_checker(schema, schema_value)
        dialect_class = getattr(getattr(checker, "func", None), "__self__", None)
        uses_oas_check = getattr(getattr(checker, "func", None), "__func__", None)
        if (
            not isinstance(checker, partial)
            or dialect_class is None
            or _OAS_REGISTRY is None
            or uses_oas_check is not _check_openapi_schema
        ):
            return checker
        format_checker = checker.keywords.get("format_checker")
        key = (dialect_class, id(format_checker))
        meta_validator = self._meta_validators.get(key)
        if meta_validator is None:
            meta_validator = self._meta_validators[key] = _MetaChecker(
                dialect_class, format_checker
            )
        return meta_validator.check


def _content_key(value: Any) -> str | None:
    """The same text for the same JSON content (keys in their order), None when there is none."""
    try:
        return json.dumps(value, separators=(",", ":"), default=repr)
    except (TypeError, ValueError):  # a cycle or an unsortable oddity: do not remember it
        return None


class _MetaChecker:
    """check_openapi_schema's meta-schema validator, built once, checking each content once.

    A schema that jsonschema-rs, compiled once from the same meta-schemas, finds valid is valid
    for the Python check too, as long as it holds no ``pattern`` (the only format the Python
    check asserts is ``regex``; jsonschema-rs runs here without format checks, so it is never
    the stricter of the two there): the Python check then has nothing to add and is skipped.
    Every other schema, and every invalid one, gets the Python check, so each error is exactly
    the validator's own.
    """

    def __init__(self, dialect_class: Any, format_checker: Any) -> None:
        self._valid: set[str] = set()
        meta_schema = dialect_class.META_SCHEMA
        meta_class = validator_for(meta_schema, default=dialect_class)
        self._validator = meta_class(
            meta_schema, format_checker=format_checker, registry=_OAS_REGISTRY
        )
        self._fast = _compiled_meta_schema(meta_schema)

    def check(self, schema_value: Any) -> None:
        content = _content_key(schema_value)
        if content is None:
            self._python_check(schema_value)
            return
        if content in self._valid:
            return
        if not (self._fast_valid(schema_value, content)):
            self._python_check(schema_value)
        self._valid.add(content)

    def _fast_valid(self, schema_value: Any, content: str) -> bool:
        if self._fast is None or _REGEX_KEYWORDS.search(content):
            return False
        try:
            return bool(self._fast.is_valid(schema_value))
        except Exception:  # noqa: BLE001 - a value jsonschema-rs cannot take: ask the Python check
            return False

    def _python_check(self, schema_value: Any) -> None:
        for error in self._validator.iter_errors(schema_value):
            raise SchemaError.create_from(error)


# Where the meta-schemas assert format "regex": the pattern keyword and patternProperties' keys.
_REGEX_KEYWORDS = re.compile(r'"pattern(Properties)?"')


def _compiled_meta_schema(meta_schema: Any) -> Any:
    if jsonschema_rs is None or _OAS_REGISTRY is None:
        return None
    try:
        resources = [(uri, _OAS_REGISTRY.contents(uri)) for uri in _OAS_REGISTRY]
        registry = jsonschema_rs.Registry(resources)
        return jsonschema_rs.validator_for(meta_schema, registry=registry, validate_formats=False)
    except Exception:  # noqa: BLE001 - without it every schema gets the Python check
        return None


class _OperationValidator(keywords.OperationValidator):
    def __init__(self, registry: Any) -> None:
        super().__init__(registry)
        self.operation_ids_registry = _SeenList()


class SpecValidator(OpenAPIV31SpecValidator):
    """OpenAPIV31SpecValidator with the keyword validators and reader above; same findings."""

    keyword_validators = {
        **OpenAPIV31SpecValidator.keyword_validators,
        "schema": _SchemaValidator,
        "operation": _OperationValidator,
    }

    def __init__(self, document: dict[str, Any]) -> None:
        reader = SchemaPath.from_dict(
            document,
            handlers=self.resolver_handlers,
            resolved_cache_maxsize=_RESOLVED_PATHS_KEPT,
        )
        super().__init__(reader)

    def iter_errors(self) -> Iterator[Any]:  # type: ignore[override]
        with _plain_data_steps():
            yield from super().iter_errors()


@contextmanager
def _plain_data_steps() -> Iterator[None]:
    """The reader's step into a node (``SchemaNode._get_subnode``), with dicts and lists taken
    directly: the same answer and the same KeyError, without the Protocol check."""
    own = SchemaNode.__dict__.get("_get_subnode")  # None: inherited, as in jsonschema-path 0.5
    reader_step = SchemaNode._get_subnode

    def step(cls: type, node: Any, part: Any) -> Any:
        if type(node) is dict or type(node) is list:
            try:
                return node[part]
            except (KeyError, IndexError, TypeError) as error:
                raise KeyError(part) from error
        return reader_step(node, part)

    SchemaNode._get_subnode = classmethod(step)  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        if own is None:
            if "_get_subnode" in SchemaNode.__dict__:  # not already put back by a nested run
                del SchemaNode._get_subnode
        else:
            SchemaNode._get_subnode = own  # type: ignore[method-assign]
