"""Render bundled specs into a static site: index page, one page per API, assets, search."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context

from generator.docs import anchors
from generator.docs.conformance_view import ApiStatus, api_statuses
from generator.docs.decisions import DECISIONS_PAGE, decisions_html
from generator.docs.downloads import contract_files, contract_texts
from generator.docs.highlight import pygments_css
from generator.docs.markdown import is_safe_url
from generator.docs.model import build_view
from generator.docs.pages import INDEX, ApiPlan, Page, PageLinks, plan_api, relink
from generator.docs.search_index import write_search_index
from generator.docs.shared_jobs import run_shared
from generator.docs.tryit import tryit_data
from generator.docs.views import ApiView, Operation, Tag
from generator.perf import paused_gc

if TYPE_CHECKING:
    from generator.diff.changelog import ChangelogSection

_PACKAGE = Path(str(resources.files("generator.docs")))
CHANGES_PAGE = "changes.html"
_NOT_IN_FOLDER_NAME = re.compile(r"[^A-Za-z0-9_-]+")
# What an API page is rendered from: api.html and the templates it extends, includes and imports.
API_PAGE_TEMPLATES = (
    "api.html",
    "base.html",
    "_nav.html",
    "_operation.html",
    "_sections.html",
    "_schema.html",
    "_decisions.html",
)
# The most processes worth sharing the API pages with: a page takes a few milliseconds, and each
# helper copies the memory it touches (about 0.04 s of CPU each at 5,000 operations).
_MOST_PROCESSES = 4


def api_folder(name: str) -> str:
    """``name`` made an API's folder of the site: letters, digits, "-" and "_" (no dot: never
    "..", nor a page of the site's root), never "assets" (the styles, scripts and search)."""
    folder = _NOT_IN_FOLDER_NAME.sub("-", name).strip("-") or "api"
    return "assets-api" if folder == "assets" else folder


@dataclass(frozen=True)
class SiteStats:
    pages: int
    files: int
    bytes: int
    seconds: float


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(_PACKAGE / "templates")),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # tojson (the try-it data) without the spaces of json.dumps' default separators.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":")}
    # Links taken from the spec (contact, servers) keep only http(s)/mailto and relative URLs.
    env.filters["safe_url"] = lambda url: url if is_safe_url(str(url)) else "#introduction"
    env.globals.update(
        href=_href,
        operation_anchor=anchors.operation_anchor,
        schema_anchor=anchors.schema_anchor,
        auth_anchor=anchors.auth_anchor,
    )
    return env


@pass_context
def _href(context: Context, anchor: str) -> str:
    """The href of ``anchor`` from the page being rendered (its ``links``): "#a" or "file#a"."""
    links: PageLinks = context["links"]
    return links.href(anchor)


def _write(out_dir: Path, relative: str, text: str) -> int:
    """Write ``text`` to ``out_dir / relative`` as UTF-8; the bytes written."""
    path = out_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    path.write_bytes(data)
    return len(data)


class _Writer:
    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.files = 0
        self.bytes = 0

    def write(self, relative: str, text: str) -> None:
        self.bytes += _write(self.out_dir, relative, text)
        self.files += 1


def render_site(
    specs: Mapping[str, dict[str, Any]],
    out_dir: Path,
    *,
    conformance: Mapping[str, dict[str, Any]] | None = None,
    changes: Mapping[str, list[ChangelogSection]] | None = None,
    decisions: Path | None = None,
    keep_to_exit: bool = False,
    processes: int = 1,
) -> SiteStats:
    """Write the documentation site of ``specs`` (API name -> bundled document) to ``out_dir``.

    ``conformance`` maps an API name to its result.json (`usersapi test --report DIR`); the
    pages then show when and how each operation was last verified. ``changes`` maps an API
    name to its changelog (``generator.diff.changelog``), rendered as its Changes page.
    ``decisions`` is the decision record (docs/seed-decisions.md), for contract authors: it
    becomes decisions.html, and each `x-decisions` id links to its row.
    ``keep_to_exit``: the render ends its command (``usersapi docs``), so what it leaves is
    frozen, not collected (``paused_gc``): the templates' cyclic garbage holds the whole view
    model, a third of a second's collection at 5,000 operations.
    ``processes``: how many processes may render the API pages (the cores to use; at most
    ``_MOST_PROCESSES``), this one and forked helpers, each taking the next page when it is free
    (``shared_jobs``); the view model is built once, here.
    """
    started = time.perf_counter()
    # The view model is a large acyclic graph; cyclic GC passes over it made big specs superlinear.
    with paused_gc(keep_to_exit=keep_to_exit):
        statuses = api_statuses(conformance)
        site = _Site(specs, Path(out_dir), statuses, changes or {}, decisions)
        helpers = min(processes, _MOST_PROCESSES) - 1
        api_pages = run_shared(site.api_page_jobs(), helpers, site.write_the_rest)
    return SiteStats(
        pages=site.pages + len(api_pages),
        files=site.writer.files + len(api_pages),
        bytes=site.writer.bytes + sum(api_pages),
        seconds=time.perf_counter() - started,
    )


class _Site:
    """One site's view models, page plans and templates, made before any page is written (every
    page's place is known first, so links go straight to their page)."""

    def __init__(
        self,
        specs: Mapping[str, dict[str, Any]],
        out_dir: Path,
        statuses: dict[str, ApiStatus],
        changes: Mapping[str, list[ChangelogSection]],
        decisions: Path | None,
    ) -> None:
        self.env = _environment()
        self.writer = _Writer(out_dir)
        self.specs, self.statuses = specs, statuses
        self.changes, self.decisions = changes, decisions
        self.views = [build_view(name, document) for name, document in specs.items()]
        self.plans = {view.slug: plan_api(view) for view in self.views}
        self.contracts = {view.slug: contract_files(view.slug, view.version) for view in self.views}
        self.context = {
            "apis": self.views,
            "plans": self.plans,
            "search_files": [f"search-{v.slug}.js" for v in self.views],
            "statuses": statuses,
            "contracts": self.contracts,
            "changes_pages": set(changes) & {view.slug for view in self.views},
            "decisions_page": DECISIONS_PAGE if decisions is not None else None,
        }
        for name in API_PAGE_TEMPLATES:  # compiled before any helper is forked: all share them
            self.env.get_template(name)
        self.pages = 0  # written by write_the_rest

    def api_page_jobs(self) -> list[Callable[[], int]]:
        """Writing each page of each API, as a job that gives its bytes written."""
        return [
            partial(self._write_api_page, view, page)
            for view in self.views
            for page in self.plans[view.slug].pages
        ]

    def _write_api_page(self, view: ApiView, page: Page) -> int:
        plan = self.plans[view.slug]
        html = self.env.get_template("api.html").render(
            root="../",
            api=view,
            plan=plan,
            page=page,
            links=PageLinks(plan, page),
            page_tags=_page_tags(plan, page),
            status=self.statuses.get(view.slug),
            tryit=tryit_data(view, page.operations),
            **self.context,
        )
        html = relink(html, plan, page.file)
        return _write(self.writer.out_dir, f"{view.slug}/{page.file}", html)

    def write_the_rest(self) -> None:
        """Every file but the API pages: assets, downloads, search indexes, the root pages and
        the Changes pages."""
        writer, env, context = self.writer, self.env, self.context
        css = (_PACKAGE / "static" / "site.css").read_text(encoding="utf-8")
        writer.write("assets/site.css", css + "\n" + pygments_css() + "\n")
        for asset in ("site.js", "tryit.js", "favicon.svg"):
            text = (_PACKAGE / "static" / asset).read_text(encoding="utf-8")
            writer.write(f"assets/{asset}", text)
        for view, document in zip(self.views, self.specs.values(), strict=True):
            for name, text in contract_texts(self.contracts[view.slug], document):
                writer.write(f"{view.slug}/{name}", text)
        for view in self.views:
            index_path = writer.out_dir / "assets" / f"search-{view.slug}.js"
            writer.bytes += write_search_index(view, index_path, self.plans[view.slug])
            writer.files += 1
        writer.write("index.html", env.get_template("index.html").render(root="", **context))
        self.pages += 1
        if self.decisions is not None:
            record = decisions_html(self.decisions)
            page = env.get_template("decisions.html").render(root="", record=record, **context)
            writer.write(DECISIONS_PAGE, page)
            self.pages += 1
        for view in self.views:
            if view.slug in self.changes:
                plan, sections = self.plans[view.slug], self.changes[view.slug]
                writer.write(
                    f"{view.slug}/{CHANGES_PAGE}", _changes_page(env, view, plan, sections, context)
                )
                self.pages += 1


def _changes_page(
    env: Environment,
    view: ApiView,
    plan: ApiPlan,
    sections: list[ChangelogSection],
    context: dict[str, Any],
) -> str:
    present = {op.operation_id for op in view.operations}

    def operation_href(operation_id: str) -> str | None:
        """The reference entry of an operation the API still has (removed ones have none)."""
        if operation_id not in present:
            return None
        anchor = anchors.operation_anchor(operation_id)
        return f"{plan.page_of(anchor) or INDEX}#{anchor}"

    return env.get_template("changes.html").render(
        root="../", api=view, sections=sections, operation_href=operation_href, **context
    )


def _page_tags(plan: ApiPlan, page: Page) -> list[tuple[Tag, list[Operation]]]:
    """(tag, its operations on this page) for each tag section of ``page``."""
    if page.kind == "single":
        return [(tag, tag.operations) for tag in plan.view.tags]
    if page.kind == "tag" and page.tag is not None:
        return [(page.tag, page.operations)]
    return []


__all__ = ["ApiView", "SiteStats", "render_site"]
