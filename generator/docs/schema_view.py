"""JSON Schemas -> trees of nodes for display: properties, items, variants, constraints.

Each named component (``#/components/schemas/<Name>``) is drawn in full once, in the Schemas
section; everywhere else a use of it is a link (an operation's body also gets a one-line-per-field
preview of its first level). Page weight then grows with the operations, not with how often a
schema is used, and recursive schemas stay finite.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from generator.docs.anchors import field_anchor, schema_anchor
from generator.docs.markdown import render_markdown
from generator.docs.refs import Resolver

_COMBINATORS = (("oneOf", "one of"), ("anyOf", "any of"), ("allOf", "all of"))
_CONSTRAINTS = (
    ("pattern", "pattern"),
    ("minLength", "min length"),
    ("maxLength", "max length"),
    ("minimum", "≥"),
    ("exclusiveMinimum", ">"),
    ("maximum", "≤"),
    ("exclusiveMaximum", "<"),
    ("multipleOf", "multiple of"),
    ("minItems", "min items"),
    ("maxItems", "max items"),
    ("minProperties", "min properties"),
    ("maxProperties", "max properties"),
    ("contentMediaType", "content type"),
)


@dataclass
class SchemaNode:
    label: str | None
    type_text: str
    ref: str | None = None
    ref_anchor: str | None = None
    anchor: str | None = None
    required: bool = False
    flags: list[str] = field(default_factory=list)
    description: Markup = Markup("")
    facts: list[tuple[str, str]] = field(default_factory=list)
    enum: list[str] = field(default_factory=list)
    children: list[SchemaNode] = field(default_factory=list)
    variants_label: str | None = None
    variants: list[SchemaNode] = field(default_factory=list)
    origin: str | None = None
    note: str | None = None
    # "array of <item_ref>": the item schema is a named component, drawn as a link.
    item_ref: str | None = None
    # First-level fields of the named schema an operation's body refers to (linked by anchor).
    preview: list[SchemaNode] = field(default_factory=list)

    @property
    def type_tail(self) -> str:
        """What follows "array of <item_ref>" in the type text (e.g. " | null")."""
        return self.type_text.removeprefix(f"array of {self.item_ref}")

    @property
    def described(self) -> bool:
        """Whether there is a description, allowed values or facts to show (``body``)."""
        return bool(self.description or self.enum or self.facts)

    @property
    def preview_required(self) -> bool:
        """Whether a field of the preview is required (its legend then explains the *)."""
        return any(child.required for child in self.preview)

    @property
    def example_shown(self) -> bool:
        """Whether the facts show an example (a parameter's own example is then not repeated)."""
        return any(key == "example" for key, _value in self.facts)

    @property
    def expandable(self) -> bool:
        return bool(self.children or self.variants)

    def walk(self) -> list[SchemaNode]:
        found = [self]
        for child in (*self.children, *self.variants):
            found.extend(child.walk())
        return found


def json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _types(schema: dict[str, Any]) -> list[str]:
    declared = schema.get("type")
    if isinstance(declared, str):
        return [declared]
    if isinstance(declared, list):
        return [str(item) for item in declared]
    if "properties" in schema or "additionalProperties" in schema:
        return ["object"]
    if "items" in schema:
        return ["array"]
    return []


def _add_flags(schema: dict[str, Any], node: SchemaNode) -> None:
    for key, flag in (("readOnly", "read-only"), ("writeOnly", "write-only")):
        if schema.get(key):
            node.flags.append(flag)
    if schema.get("deprecated"):
        node.flags.append("deprecated")
    if schema.get("x-where-field") is True:  # spec/where_fields.py: may be named in `where`
        node.flags.append("filterable")


class TreeBuilder:
    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self._components: dict[str, SchemaNode] = {}

    def component(self, name: str) -> SchemaNode:
        """The tree of one named schema, with ids for its fields (the Schemas section)."""
        if name not in self._components:
            schema = self.resolver.components.get("schemas", {}).get(name, {})
            node = self._build(schema, None, (name,), 0, (name, ()))
            node.anchor = schema_anchor(name)
            self._components[name] = node
        return self._components[name]

    def tree(self, schema: Any, expand: int = 0) -> SchemaNode:
        """The tree of a schema used by an operation (no field ids: they live in Schemas)."""
        return self.node(schema, None, (), expand, None)

    def body_tree(self, schema: Any) -> SchemaNode:
        """A request or response body: inline schemas in full, a named one as link + preview."""
        node = self.tree(schema)
        name = node.ref or node.item_ref
        if name is not None:
            node.preview = self.component(name).children
        return node

    def node(
        self,
        schema: Any,
        label: str | None,
        stack: tuple[str, ...],
        expand: int,
        anchors: tuple[str, tuple[str, ...]] | None,
        required: bool = False,
    ) -> SchemaNode:
        name = self.resolver.schema_name(schema)
        if name is None:
            node = self._build(
                schema if isinstance(schema, dict) else {}, label, stack, expand, anchors
            )
        else:
            target = self.resolver.resolve(schema)
            if name in stack or expand <= 0:
                # Type line only: the component's own description is shown at its anchor.
                node = SchemaNode(label=label, type_text=self._type_text(target))
                node.note = "recursive" if name in stack else None
            else:
                node = self._build(target, label, (*stack, name), expand - 1, None)
            node.ref, node.ref_anchor = name, schema_anchor(name)
            if anchors is not None and label is not None:
                node.anchor = field_anchor(anchors[0], anchors[1])
            if schema.get("description"):
                node.description = render_markdown(str(schema["description"]))
            _add_flags(schema, node)
        node.required = required
        return node

    def _summary(self, schema: Any, label: str | None) -> SchemaNode:
        schema = schema if isinstance(schema, dict) else {}
        return SchemaNode(
            label=label,
            type_text=self._type_text(schema),
            description=render_markdown(str(schema.get("description") or "")),
        )

    def _type_text(self, schema: dict[str, Any]) -> str:
        types = _types(schema)
        fmt = schema.get("format")
        parts = []
        for kind in types:
            if kind == "array":
                items = schema.get("items")
                item_name = self.resolver.schema_name(items)
                if item_name:
                    parts.append(f"array of {item_name}")
                elif isinstance(items, dict) and _types(items):
                    parts.append(f"array of {self._type_text(items)}")
                else:
                    parts.append("array")
            elif fmt and kind != "null":
                parts.append(f"{kind}<{fmt}>")
            else:
                parts.append(kind)
        if not parts:
            for key, text in _COMBINATORS:
                if key in schema:
                    return text
            return "const" if "const" in schema else "any"
        return " | ".join(parts)

    def _build(
        self,
        schema: dict[str, Any],
        label: str | None,
        stack: tuple[str, ...],
        expand: int,
        anchors: tuple[str, tuple[str, ...]] | None,
    ) -> SchemaNode:
        node = self._summary(schema, label)
        if anchors is not None and label is not None:
            node.anchor = field_anchor(anchors[0], anchors[1])
        _add_flags(schema, node)
        if "null" in _types(schema) or schema.get("nullable"):
            node.flags.append("nullable")
        self._facts(schema, node)
        required = set(schema.get("required") or [])
        self._properties(schema, node, required, stack, expand, anchors, None)
        self._merge_all_of(schema, node, stack, expand, anchors)
        self._items(schema, node, stack, expand, anchors)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            node.children.append(
                self.node(extra, "‹any name›", stack, expand, self._child(anchors, "*"))
            )
        elif extra is False:
            node.facts.append(("additional properties", "not allowed"))
        for key, text in _COMBINATORS:
            members = schema.get(key)
            if key == "allOf" and self._all_of_merged(schema):
                continue
            if isinstance(members, list) and node.variants_label is None:
                node.variants_label = text
                node.variants = [
                    self.node(member, f"option {i + 1}", stack, expand, None)
                    for i, member in enumerate(members)
                ]
        return node

    def _facts(self, schema: dict[str, Any], node: SchemaNode) -> None:
        if "const" in schema:
            node.facts.append(("value", json_text(schema["const"])))
        if isinstance(schema.get("enum"), list):
            node.enum = [json_text(value) for value in schema["enum"]]
        for key, text in _CONSTRAINTS:
            if key in schema:
                node.facts.append((text, str(schema[key])))
        if schema.get("uniqueItems"):
            node.facts.append(("items", "unique"))
        if "default" in schema:
            node.facts.append(("default", json_text(schema["default"])))
        examples = schema.get("examples")
        if isinstance(examples, list) and examples:
            node.facts.append(("example", json_text(examples[0])))
        elif "example" in schema:
            node.facts.append(("example", json_text(schema["example"])))

    @staticmethod
    def _child(
        anchors: tuple[str, tuple[str, ...]] | None, part: str
    ) -> tuple[str, tuple[str, ...]] | None:
        return None if anchors is None else (anchors[0], (*anchors[1], part))

    def _properties(
        self,
        schema: dict[str, Any],
        node: SchemaNode,
        required: set[str],
        stack: tuple[str, ...],
        expand: int,
        anchors: tuple[str, tuple[str, ...]] | None,
        origin: str | None,
    ) -> None:
        properties = schema.get("properties")
        if not isinstance(properties, dict):
            return
        for key, sub in properties.items():
            child = self.node(
                sub, str(key), stack, expand, self._child(anchors, str(key)), key in required
            )
            child.origin = origin
            node.children.append(child)

    def _all_of_merged(self, schema: dict[str, Any]) -> bool:
        """allOf members that are all objects are shown as one merged field list."""
        members = schema.get("allOf")
        if not isinstance(members, list):
            return False
        return all(
            isinstance(self.resolver.resolve(m), dict) and "properties" in self.resolver.resolve(m)
            for m in members
        )

    def _merge_all_of(
        self,
        schema: dict[str, Any],
        node: SchemaNode,
        stack: tuple[str, ...],
        expand: int,
        anchors: tuple[str, tuple[str, ...]] | None,
    ) -> None:
        if not self._all_of_merged(schema):
            return
        for member in schema["allOf"]:
            name = self.resolver.schema_name(member)
            if name is not None and name in stack:
                continue
            target = self.resolver.resolve(member)
            inner = (*stack, name) if name else stack
            required = set(target.get("required") or []) | set(schema.get("required") or [])
            self._properties(target, node, required, inner, expand, anchors, name)
            self._merge_all_of(target, node, inner, expand, anchors)

    def _items(
        self,
        schema: dict[str, Any],
        node: SchemaNode,
        stack: tuple[str, ...],
        expand: int,
        anchors: tuple[str, tuple[str, ...]] | None,
    ) -> None:
        items = schema.get("items")
        if not isinstance(items, dict):
            return
        item_name = self.resolver.schema_name(items)
        if item_name is not None and set(items) == {"$ref"}:
            # The type line links the item schema ("array of <a>Name</a>"): no [items] child.
            node.item_ref = item_name
            return
        resolved = self.resolver.resolve(items)
        simple = (
            item_name is None
            and not {"properties", "items", "enum", "oneOf", "anyOf", "allOf"} & set(resolved)
            and not resolved.get("description")
        )
        if not simple:
            node.children.append(
                self.node(items, "[items]", stack, expand, self._child(anchors, "items"))
            )
