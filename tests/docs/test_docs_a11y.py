"""axe-core on every page of the site, light and dark, 1280 and 375 px: no violation at all.

Pages are served by the real reference server (demo data), so the try-it consoles build their
forms; every collapsible block is opened first, so what it hides is checked too. The site is
rendered twice: whole (each API one page, a conformance report on Tyk's, the Changes pages, the
authors' decision records) and
force-split into pages of a few operations, as a big API would be. Counts per page: build/a11y/.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe import axe_script_or_skip, describe, violations
from server_harness import running_server
from test_docs_conformance import FAILING, PASSING, _result

from generator.diff.changelog import site_changelogs
from generator.docs import pages, render_site
from generator.openapi.apis import API_NAMES, build_dir
from generator.openapi.decisions import decision_record

pytestmark = [pytest.mark.browser, pytest.mark.slow]
MODES = [("light", 1280), ("light", 375), ("dark", 1280), ("dark", 375)]
SPLIT_AT = 4  # operations per page of the force-split site: both APIs split, some tags twice


@pytest.fixture(scope="session")
def axe_script() -> Path:
    return axe_script_or_skip()


@pytest.fixture(scope="module")
def a11y_sites(
    tmp_path_factory: pytest.TempPathFactory, bundled_specs: dict[str, dict[str, Any]]
) -> Iterator[dict[str, str]]:
    """{"whole": docs URL, "split": docs URL}, each site served by its own reference server."""
    root = tmp_path_factory.mktemp("a11y")
    conformance = {"tyk-dashboard": _result(PASSING, FAILING)}
    changes, problems = site_changelogs(API_NAMES)
    assert not problems  # the Changes pages are part of the site under test
    # The whole site carries the authors' decision records too (usersapi docs --decisions).
    record = decision_record(Path(__file__).resolve().parents[2] / "openapi" / API_NAMES[0])
    render_site(
        bundled_specs, root / "whole", conformance=conformance, changes=changes, decisions=record
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pages, "PAGE_OPERATIONS", SPLIT_AT)
        render_site(bundled_specs, root / "split", conformance=conformance, changes=changes)
    with (
        running_server(docs_dir=root / "whole") as whole,
        running_server(docs_dir=root / "split") as split,
    ):
        yield {
            "whole": whole.base_url + "/docs/",
            "split": split.base_url + "/docs/",
            "whole_dir": str(root / "whole"),
            "split_dir": str(root / "split"),
        }


def site_pages(sites: dict[str, str]) -> list[tuple[str, str]]:
    """(label, URL) of every HTML page of both sites."""
    found = []
    for name in ("whole", "split"):
        folder = Path(sites[f"{name}_dir"])
        for page in sorted(folder.rglob("*.html")):
            relative = page.relative_to(folder).as_posix()
            found.append((f"{name}/{relative}", sites[name] + relative))
    return found


def expand(page: Any) -> None:
    """Open every <details> and wait until each try-it console has built its demo form."""
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    page.wait_for_function(
        "() => !document.querySelector('details.tryit:not([hidden]):not(.tryit-demo)')"
    )


@pytest.mark.parametrize(("scheme", "width"), MODES, ids=[f"{s}-{w}" for s, w in MODES])
def test_no_axe_violations_on_any_page(
    browser: Any, a11y_sites: dict[str, str], axe_script: Path, scheme: str, width: int
) -> None:
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme, bypass_csp=True
    )
    found: dict[str, list[dict[str, Any]]] = {}
    try:
        page = context.new_page()
        for label, url in site_pages(a11y_sites):
            page.goto(url)
            expand(page)
            found[label] = violations(page, axe_script)
        # States the pages open in only on demand: search results, the small-screen menu.
        page.goto(a11y_sites["whole"] + "index.html")
        page.fill("#search-input", "user")
        page.locator("#search-results a").first.wait_for()
        found["whole/index.html (search results open)"] = violations(page, axe_script)
        if width < 900:
            page.goto(a11y_sites["split"] + "cloud-elements/index.html")
            page.click("#nav-toggle")
            page.locator("#sidebar").wait_for()
            found["split/cloud-elements/index.html (menu open)"] = violations(page, axe_script)
    finally:
        context.close()
    out = build_dir() / "a11y"
    out.mkdir(parents=True, exist_ok=True)
    counts = {label: sum(len(rule["nodes"]) for rule in rules) for label, rules in found.items()}
    (out / f"axe-{scheme}-{width}.json").write_text(json.dumps(counts, indent=2) + "\n")
    failing = {label: rules for label, rules in found.items() if rules}
    report = "\n".join(f"{label}:\n{describe(rules)}" for label, rules in failing.items())
    assert not failing, report
