"""The view model the templates render: plain data built from a bundled spec by model.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from generator.docs.samples import Sample
from generator.docs.schema_view import SchemaNode


@dataclass
class Example:
    key: str
    summary: str
    description: Markup
    code: Markup
    ref: str | None
    value: Any


@dataclass
class Body:
    media_type: str
    schema: SchemaNode | None
    examples: list[Example]


@dataclass
class Parameter:
    name: str
    location: str
    anchor: str
    required: bool
    deprecated: bool
    schema: SchemaNode
    description: Markup
    example: str | None
    example_value: Any = None
    has_example: bool = False


@dataclass
class Header:
    name: str
    required: bool
    schema: SchemaNode
    description: Markup
    example: str | None


@dataclass
class Link:
    name: str
    operation_id: str | None
    description: Markup


@dataclass
class Response:
    status: str
    anchor: str
    summary: str
    description: Markup | None
    headers: list[Header]
    bodies: list[Body]
    links: list[Link]
    ref: str | None


@dataclass
class SecurityScheme:
    name: str
    anchor: str
    kind: str
    location: str
    header_name: str
    header_value: str
    description: Markup

    @property
    def credential_line(self) -> str:
        """The credential as a caller sends it: a header line, a cookie, or a query parameter."""
        if self.location == "cookie":
            return f"Cookie: {self.header_name}={self.header_value}"
        if self.location == "query":
            return f"?{self.header_name}={self.header_value}"
        return f"{self.header_name}: {self.header_value}"


@dataclass
class Operation:
    operation_id: str
    anchor: str
    method: str
    path: str
    summary: str
    description: Markup
    path_description: Markup
    deprecated: bool
    security: list[list[str]]
    parameters: list[Parameter]
    request_body: Body | None
    request_required: bool
    request_description: Markup
    responses: list[Response]
    samples: list[Sample] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)  # x-decisions ids, for contract authors


@dataclass
class Tag:
    name: str
    anchor: str
    description: Markup
    operations: list[Operation]


@dataclass
class NamedSchema:
    name: str
    anchor: str
    tree: SchemaNode
    decisions: list[str] = field(default_factory=list)


@dataclass
class ApiView:
    slug: str
    title: str
    version: str
    summary: str
    description: Markup
    servers: list[tuple[str, Markup]]
    schemes: list[SecurityScheme]
    tags: list[Tag]
    schemas: list[NamedSchema]
    contact: list[tuple[str, str]] = field(default_factory=list)

    @property
    def operations(self) -> list[Operation]:
        return [operation for tag in self.tags for operation in tag.operations]
