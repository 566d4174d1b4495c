"""For contract authors, `usersapi docs --decisions FILE` links each x-decisions id to its record;
the public site (without it) shows no decision at all."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from generator.docs import SiteStats, render_site
from generator.openapi.decisions import decision_record

ROOT = Path(__file__).resolve().parents[2]
RECORD = decision_record(ROOT / "openapi" / "tyk-dashboard")


@pytest.fixture(scope="module")
def authors_site(
    tmp_path_factory: pytest.TempPathFactory, bundled_specs: dict[str, dict[str, Any]]
) -> Path:
    out = tmp_path_factory.mktemp("authors-site")
    render_site(bundled_specs, out, decisions=RECORD)
    return out


def test_every_decision_link_reaches_its_row(authors_site: Path) -> None:
    record = (authors_site / "decisions.html").read_text(encoding="utf-8")
    rows = set(re.findall(r'<tr id="decision/(D-[A-Z]+-\d+)">', record))
    assert len(rows) == RECORD.read_text(encoding="utf-8").count("\n| D-")
    linked = set()
    for api in ("cloud-elements", "tyk-dashboard"):
        page = (authors_site / api / "index.html").read_text(encoding="utf-8")
        linked |= set(re.findall(r'href="\.\./decisions\.html#decision/(D-[A-Z]+-\d+)"', page))
    assert linked and linked <= rows
    assert {"D-TYK-25", "D-CE-31"} <= linked  # revoke; /organizations/users


def test_the_record_links_nothing_the_site_has_not(authors_site: Path) -> None:
    record = (authors_site / "decisions.html").read_text(encoding="utf-8")
    main = record[record.index('<main id="main"') :]
    hrefs = re.findall(r'href="([^"]*)"', main)
    assert all(href.startswith(("https://", "http://", "#")) for href in hrefs), hrefs
    index = (authors_site / "index.html").read_text(encoding="utf-8")
    assert 'href="decisions.html"' in index


def test_the_public_site_shows_no_decision(real_site: tuple[Path, SiteStats]) -> None:
    site = real_site[0]
    assert not (site / "decisions.html").exists()
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "decisions.html" not in text and "Decision records" not in text, page
