"""The page plan of one API: which page holds each operation and schema, and where anchors live.

An API of at most ``PAGE_OPERATIONS`` operations is one page (``index.html``). A larger one is
split so no page grows with the API: ``index.html`` (introduction, authentication, servers, a
table of contents), one page per tag chunk of at most ``PAGE_OPERATIONS`` operations
(``tag-<tag>-<n>.html``) and the schemas in chunks (``schemas-<n>.html``). Anchors stay the same
as on a single page; ``ApiPlan.where`` maps each anchor to the file that holds it, built before
any page is rendered, so templates ask for an href instead of guessing a page.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from html import escape, unescape

from generator.docs import anchors
from generator.docs.views import ApiView, NamedSchema, Operation, Tag

PAGE_OPERATIONS = 50
# Schemas pages are filled by size: tree nodes (one field line each), and at most this many.
PAGE_SCHEMA_NODES = 600
PAGE_SCHEMAS = 150
# Above this many operations the table of contents lists pages, not each operation.
TOC_OPERATIONS = 1000
INDEX = "index.html"


@dataclass(eq=False)  # pages compare by identity: their operation lists can be long
class Page:
    file: str
    kind: str  # "single", "index", "tag" or "schemas"
    title: str
    tag: Tag | None = None
    part: int = 1
    parts: int = 1
    operations: list[Operation] = field(default_factory=list)
    schemas: list[NamedSchema] = field(default_factory=list)
    first: int = 1  # 1-based number of the first operation/schema of the page in its list

    @property
    def last(self) -> int:
        return self.first + max(len(self.operations) or len(self.schemas), 1) - 1

    @property
    def range_label(self) -> str:
        """What the page holds, for page links: "Part 2 · 51–100"."""
        return f"Part {self.part} · {self.first}–{self.last}"


@dataclass
class TagPages:
    tag: Tag
    pages: list[Page]


@dataclass
class ApiPlan:
    view: ApiView
    pages: list[Page]
    tags: list[TagPages]
    schema_pages: list[Page]
    where: dict[str, str]

    @property
    def split(self) -> bool:
        return self.pages[0].kind != "single"

    @property
    def toc_operations(self) -> bool:
        """Whether the table of contents lists each operation (else only the pages)."""
        return len(self.view.operations) <= TOC_OPERATIONS

    def neighbours(self, page: Page) -> tuple[Page | None, Page | None]:
        """The previous and next page in reading order."""
        i = next(n for n, candidate in enumerate(self.pages) if candidate is page)
        return (
            self.pages[i - 1] if i > 0 else None,
            self.pages[i + 1] if i + 1 < len(self.pages) else None,
        )

    def page_of(self, anchor: str) -> str | None:
        """The file holding ``anchor``; sub-anchors (fields, parameters) follow their owner."""
        found = self.where.get(anchor)
        if found is None:
            found = self.where.get("/".join(anchor.split("/", 2)[:2]))
        return found

    def href(self, anchor: str, current: str) -> str:
        """A link to ``anchor`` from the page ``current`` (same folder): "#a" or "file#a"."""
        target = self.page_of(anchor)
        if target is None or target == current:
            return f"#{anchor}"
        return f"{target}#{anchor}"

    def site_href(self, anchor: str) -> str:
        """A link to ``anchor`` from the site root."""
        return f"{self.view.slug}/{self.page_of(anchor) or INDEX}#{anchor}"


_LOCAL_HREF = re.compile(r'href="#([^"]+)"')


def relink(html: str, plan: ApiPlan, current: str) -> str:
    """Point in-page links written in spec descriptions (`[x](#operation/id)`) at their page.

    Links the templates make already go through `href`; Markdown links from the spec cannot,
    so on a split API they are rewritten here, after rendering.
    """
    if not plan.split:
        return html

    def fix(match: re.Match[str]) -> str:
        anchor = unescape(match.group(1))
        target = plan.href(anchor, current)
        return f'href="{escape(target, quote=True)}"' if not target.startswith("#") else match[0]

    return _LOCAL_HREF.sub(fix, html)


@dataclass(frozen=True)
class PageLinks:
    """Links from one page: what the ``href`` template global asks."""

    plan: ApiPlan
    page: Page

    def href(self, anchor: str) -> str:
        return self.plan.href(anchor, self.page.file)


def _chunks(items: list[Operation]) -> list[list[Operation]]:
    """Even chunks of at most PAGE_OPERATIONS (51 -> 26 + 25, not 50 + 1)."""
    parts = max(1, math.ceil(len(items) / PAGE_OPERATIONS))
    size = math.ceil(len(items) / parts)
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def _schema_chunks(schemas: list[NamedSchema]) -> list[list[NamedSchema]]:
    chunks: list[list[NamedSchema]] = []
    nodes = 0
    for schema in schemas:
        weight = len(schema.tree.walk())
        if not chunks or len(chunks[-1]) >= PAGE_SCHEMAS or nodes + weight > PAGE_SCHEMA_NODES:
            if not chunks or chunks[-1]:
                chunks.append([])
            nodes = 0
        chunks[-1].append(schema)
        nodes += weight
    return chunks


def _single(view: ApiView) -> ApiPlan:
    page = Page(INDEX, "single", view.title, operations=view.operations, schemas=view.schemas)
    return ApiPlan(view, [page], [TagPages(tag, [page]) for tag in view.tags], [page], {})


def plan_api(view: ApiView) -> ApiPlan:
    """The pages of one API and the anchor -> page map."""
    if len(view.operations) <= PAGE_OPERATIONS:
        return _single(view)
    index = Page(INDEX, "index", view.title)
    where = {key: INDEX for key in ("introduction", "authentication", "contents")}
    where.update({scheme.anchor: INDEX for scheme in view.schemes})
    pages, tags, used = [index], [], {INDEX}
    for number, tag in enumerate(view.tags):
        chunks = _chunks(tag.operations)
        stem = base = f"tag-{anchors.slug(tag.name).lower()}"
        # Two tags with the same slug (e.g. differing in case only) get distinct files.
        while any(f"{base}-{part}.html" in used for part in range(1, len(chunks) + 1)):
            base = f"{stem}-{number + 1}" if base == stem else f"{base}-{number + 1}"
        tag_pages = []
        first = 1
        for part, operations in enumerate(chunks, start=1):
            page = Page(f"{base}-{part}.html", "tag", tag.name, tag, part, len(chunks))
            page.operations, page.first = operations, first
            first += len(operations)
            where.update({op.anchor: page.file for op in operations})
            tag_pages.append(page)
        used.update(page.file for page in tag_pages)
        where.setdefault(tag.anchor, tag_pages[0].file)
        pages.extend(tag_pages)
        tags.append(TagPages(tag, tag_pages))
    schema_pages = []
    schema_chunks = _schema_chunks(view.schemas)
    first = 1
    for part, schemas in enumerate(schema_chunks, start=1):
        page = Page(f"schemas-{part}.html", "schemas", "Schemas", None, part, len(schema_chunks))
        page.schemas, page.first = schemas, first
        first += len(schemas)
        where.update({schema.anchor: page.file for schema in schemas})
        schema_pages.append(page)
    if schema_pages:
        where["schemas"] = schema_pages[0].file
    pages.extend(schema_pages)
    return ApiPlan(view, pages, tags, schema_pages, where)
