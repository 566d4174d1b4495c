"""A bundled OpenAPI document -> the view model the templates render (one ApiView per API)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from generator.docs import anchors
from generator.docs.decisions import decision_ids
from generator.docs.highlight import highlight_json
from generator.docs.markdown import render_inline, render_markdown
from generator.docs.refs import Resolver
from generator.docs.samples import auth_header, build_samples
from generator.docs.schema_view import TreeBuilder, json_text
from generator.docs.views import (
    ApiView,
    Body,
    Example,
    Header,
    Link,
    NamedSchema,
    Operation,
    Parameter,
    Response,
    SecurityScheme,
    Tag,
)
from generator.openapi.walk import iter_operations


class _ViewBuilder:
    def __init__(self, slug: str, document: dict[str, Any]) -> None:
        self.slug = slug
        self.document = document
        self.resolver = Resolver(document)
        self.trees = TreeBuilder(self.resolver)
        self.schemes = self._schemes()
        self.server = next(
            (s.get("url") for s in document.get("servers") or [] if s.get("url")), ""
        )

    def build(self) -> ApiView:
        info = self.document.get("info") or {}
        components = self.resolver.components.get("schemas") or {}
        schemas = sorted(components)
        return ApiView(
            slug=self.slug,
            title=str(info.get("title") or self.slug),
            version=str(info.get("version") or ""),
            summary=str(info.get("summary") or ""),
            description=render_markdown(str(info.get("description") or "")),
            servers=[
                (str(s.get("url")), render_inline(str(s.get("description") or "")))
                for s in self.document.get("servers") or []
            ],
            schemes=list(self.schemes.values()),
            tags=self._tags(),
            contact=_contact(info.get("contact")),
            schemas=[
                NamedSchema(
                    name,
                    anchors.schema_anchor(name),
                    self.trees.component(name),
                    decision_ids(components[name]),
                )
                for name in schemas
            ],
        )

    def _schemes(self) -> dict[str, SecurityScheme]:
        found = {}
        for name, raw in (self.resolver.components.get("securitySchemes") or {}).items():
            scheme = self.resolver.resolve(raw)
            header_name, header_value = auth_header(name, scheme)
            found[name] = SecurityScheme(
                name=name,
                anchor=anchors.auth_anchor(name),
                kind=str(scheme.get("type") or ""),
                location=str(scheme.get("in") or ""),
                header_name=header_name,
                header_value=header_value,
                description=render_markdown(str(scheme.get("description") or "")),
            )
        return found

    def _tags(self) -> list[Tag]:
        declared = [t for t in self.document.get("tags") or [] if isinstance(t, dict)]
        tags = {
            str(t.get("name")): Tag(
                str(t.get("name")),
                anchors.tag_anchor(str(t.get("name"))),
                render_markdown(str(t.get("description") or "")),
                [],
            )
            for t in declared
        }
        for found in iter_operations(self.document):
            operation = self._operation(str(found.path), found.method, found.path_item, found.node)
            name = str((found.node.get("tags") or ["Other operations"])[0])
            tag = tags.setdefault(name, Tag(name, anchors.tag_anchor(name), Markup(""), []))
            tag.operations.append(operation)
        return [tag for tag in tags.values() if tag.operations]

    def _operation(self, path: str, method: str, item: dict, raw: dict) -> Operation:
        operation_id = str(raw.get("operationId") or f"{method}-{path}")
        security = raw.get("security", self.document.get("security")) or []
        body_raw = self.resolver.resolve(raw.get("requestBody")) if raw.get("requestBody") else None
        bodies = self._bodies(body_raw) if body_raw else []
        operation = Operation(
            operation_id=operation_id,
            anchor=anchors.operation_anchor(operation_id),
            method=method,
            path=path,
            summary=str(raw.get("summary") or operation_id),
            description=render_markdown(str(raw.get("description") or "")),
            path_description=render_markdown(str(item.get("description") or "")),
            deprecated=bool(raw.get("deprecated")),
            security=[sorted(req) for req in security if isinstance(req, dict)],
            parameters=self._parameters(operation_id, item, raw),
            request_body=bodies[0] if bodies else None,
            request_required=bool(body_raw and body_raw.get("required")),
            request_description=render_markdown(str((body_raw or {}).get("description") or "")),
            responses=self._responses(operation_id, raw),
            decisions=decision_ids(raw),
        )
        operation.samples = build_samples(operation, self.server, self.schemes)
        return operation

    def _parameters(self, operation_id: str, item: dict, raw: dict) -> list[Parameter]:
        merged: dict[tuple[str, str], dict] = {}
        for source in (item.get("parameters") or [], raw.get("parameters") or []):
            for ref in source:
                param = self.resolver.resolve(ref)
                merged[(str(param.get("name")), str(param.get("in")))] = param
        order = {"path": 0, "query": 1, "header": 2, "cookie": 3}
        params = sorted(merged.values(), key=lambda p: order.get(str(p.get("in")), 4))
        return [self._parameter(operation_id, p) for p in params]

    def _parameter(self, operation_id: str, param: dict) -> Parameter:
        name, location = str(param.get("name")), str(param.get("in"))
        schema = param.get("schema") or {}
        has_example, value = _example_value(param, self.resolver.resolve(schema), self.resolver)
        return Parameter(
            name=name,
            location=location,
            anchor=anchors.parameter_anchor(operation_id, location, name),
            required=bool(param.get("required")),
            deprecated=bool(param.get("deprecated")),
            schema=self.trees.tree(schema, 0),
            description=render_markdown(str(param.get("description") or "")),
            example=json_text(value) if has_example else None,
            example_value=value,
            has_example=has_example,
        )

    def _bodies(self, holder: dict) -> list[Body]:
        bodies = []
        for media_type, raw in (holder.get("content") or {}).items():
            media = raw if isinstance(raw, dict) else {}
            schema = media.get("schema")
            bodies.append(
                Body(
                    media_type=str(media_type),
                    schema=self.trees.body_tree(schema) if schema else None,
                    examples=self._examples(media),
                )
            )
        return bodies

    def _examples(self, media: dict) -> list[Example]:
        examples = []
        for key, raw in (media.get("examples") or {}).items():
            ref = raw.get("$ref") if isinstance(raw, dict) else None
            example = self.resolver.resolve(raw) if isinstance(raw, dict) else {}
            if "value" not in example:
                continue
            examples.append(
                Example(
                    key=str(key),
                    summary=str(example.get("summary") or key),
                    description=render_markdown(str(example.get("description") or "")),
                    code=highlight_json(example["value"]),
                    ref=str(ref).rsplit("/", 1)[-1] if ref else None,
                    value=example["value"],
                )
            )
        if not examples and "example" in media:
            value = media["example"]
            examples.append(
                Example("example", "Example", Markup(""), highlight_json(value), None, value)
            )
        return examples

    def _responses(self, operation_id: str, raw: dict) -> list[Response]:
        responses = []
        for status, ref in (raw.get("responses") or {}).items():
            response = self.resolver.resolve(ref)
            ref_name = ref.get("$ref", "").rsplit("/", 1)[-1] if isinstance(ref, dict) else ""
            text = str(response.get("description") or "").strip()
            first, _, rest = text.partition("\n\n")
            responses.append(
                Response(
                    status=str(status),
                    anchor=f"{anchors.operation_anchor(operation_id)}/response/{anchors.slug(str(status))}",
                    summary=str(render_inline(" ".join(first.split())).striptags()),
                    description=render_markdown(text) if rest.strip() else None,
                    headers=self._headers(response),
                    bodies=self._bodies(response),
                    links=self._links(response),
                    ref=ref_name or None,
                )
            )
        return responses

    def _headers(self, response: dict) -> list[Header]:
        headers = []
        for name, ref in (response.get("headers") or {}).items():
            header = self.resolver.resolve(ref)
            schema = header.get("schema") or {}
            has_example, value = _example_value(
                header, self.resolver.resolve(schema), self.resolver
            )
            headers.append(
                Header(
                    name=str(name),
                    required=bool(header.get("required")),
                    schema=self.trees.tree(schema, 0),
                    description=render_markdown(str(header.get("description") or "")),
                    example=json_text(value) if has_example else None,
                )
            )
        return headers

    def _links(self, response: dict) -> list[Link]:
        links = []
        for name, ref in (response.get("links") or {}).items():
            link = self.resolver.resolve(ref)
            links.append(
                Link(
                    name=str(name),
                    operation_id=str(link["operationId"]) if link.get("operationId") else None,
                    description=render_markdown(str(link.get("description") or "")),
                )
            )
        return links


def _example_value(holder: dict, schema: dict, resolver: Resolver) -> tuple[bool, Any]:
    """The example of a parameter or header: its own, else its schema's."""
    if "example" in holder:
        return True, holder["example"]
    for raw in (holder.get("examples") or {}).values():
        example = resolver.resolve(raw)
        if isinstance(example, dict) and "value" in example:
            return True, example["value"]
    if isinstance(schema.get("examples"), list) and schema["examples"]:
        return True, schema["examples"][0]
    if "example" in schema:
        return True, schema["example"]
    return False, None


def _contact(contact: Any) -> list[tuple[str, str]]:
    """(text, URL) pairs; the template drops URLs with unsafe schemes."""
    if not isinstance(contact, dict):
        return []
    found = []
    if contact.get("url"):
        found.append((str(contact.get("name") or contact["url"]), str(contact["url"])))
    if contact.get("email"):
        found.append((str(contact["email"]), f"mailto:{contact['email']}"))
    return found


def build_view(slug: str, document: dict[str, Any]) -> ApiView:
    return _ViewBuilder(slug, document).build()
