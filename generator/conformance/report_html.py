"""The self-contained HTML report (Jinja2, autoescape on): one section per operation."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from .results import SuiteResult

_ENV = Environment(
    loader=PackageLoader("generator.conformance", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_html(result: SuiteResult) -> str:
    return _ENV.get_template("report.html").render(result=result)


def write_html(result: SuiteResult, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(result), encoding="utf-8")
