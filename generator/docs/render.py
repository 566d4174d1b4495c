"""Render bundled specs into a static site: index page, one page per API, assets, search."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
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
from generator.docs.tryit import tryit_data
from generator.docs.views import ApiView, Operation, Tag
from generator.perf import paused_gc

if TYPE_CHECKING:
    from generator.diff.changelog import ChangelogSection

_PACKAGE = Path(str(resources.files("generator.docs")))
CHANGES_PAGE = "changes.html"
_NOT_IN_FOLDER_NAME = re.compile(r"[^A-Za-z0-9_-]+")


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


class _Writer:
    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.files = 0
        self.bytes = 0

    def write(self, relative: str, text: str) -> None:
        path = self.out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        self.files += 1
        self.bytes += len(data)


def render_site(
    specs: Mapping[str, dict[str, Any]],
    out_dir: Path,
    *,
    conformance: Mapping[str, dict[str, Any]] | None = None,
    changes: Mapping[str, list[ChangelogSection]] | None = None,
    decisions: Path | None = None,
    keep_to_exit: bool = False,
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
    """
    started = time.perf_counter()
    # The view model is a large acyclic graph; cyclic GC passes over it made big specs superlinear.
    with paused_gc(keep_to_exit=keep_to_exit):
        statuses = api_statuses(conformance)
        return _render(specs, Path(out_dir), started, statuses, changes or {}, decisions)


def _render(
    specs: Mapping[str, dict[str, Any]],
    out_dir: Path,
    started: float,
    statuses: dict[str, ApiStatus],
    changes: Mapping[str, list[ChangelogSection]],
    decisions: Path | None = None,
) -> SiteStats:
    env = _environment()
    writer = _Writer(out_dir)
    views = [build_view(name, document) for name, document in specs.items()]
    # Every page's place is known before any is rendered: links go straight to their page.
    plans = {view.slug: plan_api(view) for view in views}
    css = (_PACKAGE / "static" / "site.css").read_text(encoding="utf-8")
    writer.write("assets/site.css", css + "\n" + pygments_css() + "\n")
    for asset in ("site.js", "tryit.js", "favicon.svg"):
        writer.write(f"assets/{asset}", (_PACKAGE / "static" / asset).read_text(encoding="utf-8"))
    contracts = {view.slug: contract_files(view.slug, view.version) for view in views}
    for view, document in zip(views, specs.values(), strict=True):
        for name, text in contract_texts(contracts[view.slug], document):
            writer.write(f"{view.slug}/{name}", text)
    for view in views:
        index_path = writer.out_dir / "assets" / f"search-{view.slug}.js"
        writer.bytes += write_search_index(view, index_path, plans[view.slug])
        writer.files += 1
    context = {
        "apis": views,
        "plans": plans,
        "search_files": [f"search-{v.slug}.js" for v in views],
        "statuses": statuses,
        "contracts": contracts,
        "changes_pages": set(changes) & {view.slug for view in views},
        "decisions_page": DECISIONS_PAGE if decisions is not None else None,
    }
    writer.write("index.html", env.get_template("index.html").render(root="", **context))
    pages = 1
    if decisions is not None:
        record = decisions_html(decisions)
        page = env.get_template("decisions.html").render(root="", record=record, **context)
        writer.write(DECISIONS_PAGE, page)
        pages += 1
    template = env.get_template("api.html")
    for view in views:
        plan = plans[view.slug]
        for page in plan.pages:
            html = template.render(
                root="../",
                api=view,
                plan=plan,
                page=page,
                links=PageLinks(plan, page),
                page_tags=_page_tags(plan, page),
                status=statuses.get(view.slug),
                tryit=tryit_data(view, page.operations),
                **context,
            )
            writer.write(f"{view.slug}/{page.file}", relink(html, plan, page.file))
            pages += 1
    for view in views:
        if view.slug in changes:
            writer.write(
                f"{view.slug}/{CHANGES_PAGE}",
                _changes_page(env, view, plans[view.slug], changes[view.slug], context),
            )
            pages += 1
    return SiteStats(
        pages=pages,
        files=writer.files,
        bytes=writer.bytes,
        seconds=time.perf_counter() - started,
    )


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
