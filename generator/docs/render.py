"""Render bundled specs into a static site: index page, one page per API, assets, search."""

from __future__ import annotations

import gc
import time
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from generator.docs import anchors
from generator.docs.highlight import pygments_css
from generator.docs.markdown import is_safe_url
from generator.docs.model import build_view
from generator.docs.search_index import write_search_index
from generator.docs.views import ApiView

_PACKAGE = Path(str(resources.files("generator.docs")))


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
    # Links taken from the spec (contact, servers) keep only http(s)/mailto and relative URLs.
    env.filters["safe_url"] = lambda url: url if is_safe_url(str(url)) else "#introduction"
    env.globals.update(
        operation_anchor=anchors.operation_anchor,
        schema_anchor=anchors.schema_anchor,
        auth_anchor=anchors.auth_anchor,
    )
    return env


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
) -> SiteStats:
    """Write the documentation site of ``specs`` (API name -> bundled document) to ``out_dir``."""
    del conformance  # reserved for conformance results on the pages (a later issue)
    started = time.perf_counter()
    # The view model is a large acyclic graph; cyclic GC passes over it made big specs superlinear.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _render(specs, Path(out_dir), started)
    finally:
        if gc_was_enabled:
            gc.enable()


def _render(specs: Mapping[str, dict[str, Any]], out_dir: Path, started: float) -> SiteStats:
    env = _environment()
    writer = _Writer(out_dir)
    views = [build_view(name, document) for name, document in specs.items()]
    css = (_PACKAGE / "static" / "site.css").read_text(encoding="utf-8")
    writer.write("assets/site.css", css + "\n" + pygments_css() + "\n")
    writer.write("assets/site.js", (_PACKAGE / "static" / "site.js").read_text(encoding="utf-8"))
    for view in views:
        index_path = writer.out_dir / "assets" / f"search-{view.slug}.js"
        writer.bytes += write_search_index(view, index_path)
        writer.files += 1
    context = {"apis": views, "search_files": [f"search-{v.slug}.js" for v in views]}
    writer.write("index.html", env.get_template("index.html").render(root="", **context))
    for view in views:
        page = env.get_template("api.html").render(root="../", api=view, **context)
        writer.write(f"{view.slug}/index.html", page)
    return SiteStats(
        pages=1 + len(views),
        files=writer.files,
        bytes=writer.bytes,
        seconds=time.perf_counter() - started,
    )


__all__ = ["ApiView", "SiteStats", "render_site"]
