"""Fixtures: rendered sites (real bundles and the hostile fixture), a static server, Chromium."""

from __future__ import annotations

import functools
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from server_harness import socket_serving

from generator.docs import SiteStats, render_site
from generator.openapi.apis import API_NAMES
from generator.openapi.bundle import bundle_api, bundle_file

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from synthetic import write_synthetic_spec  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
XSS_SPEC = Path(__file__).resolve().parents[1] / "fixtures" / "xss" / "openapi.yaml"


@pytest.fixture(scope="session")
def bundled_specs() -> dict[str, dict[str, Any]]:
    return {name: bundle_api(name) for name in API_NAMES}


@pytest.fixture(scope="session")
def real_site(
    tmp_path_factory: pytest.TempPathFactory, bundled_specs: dict[str, dict[str, Any]]
) -> tuple[Path, SiteStats]:
    out = tmp_path_factory.mktemp("site")
    return out, render_site(bundled_specs, out)


@pytest.fixture(scope="session")
def xss_spec() -> dict[str, Any]:
    return yaml.safe_load(XSS_SPEC.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def xss_site(tmp_path_factory: pytest.TempPathFactory, xss_spec: dict[str, Any]) -> Path:
    out = tmp_path_factory.mktemp("xss-site")
    render_site({"hostile": xss_spec}, out)
    return out


def _render_synthetic(folder: Path, operations: int, tags: int = 3) -> Path:
    """Render a synthetic API (slug "synthetic") of ``operations`` operations; return the site."""
    root = write_synthetic_spec(folder / "spec", operations, tags)
    render_site({"synthetic": bundle_file(root, folder / "spec").document}, folder / "site")
    return folder / "site"


@pytest.fixture(scope="session")
def split_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic API of ~150 operations in 3 tags: large enough to be split into pages."""
    return _render_synthetic(tmp_path_factory.mktemp("split"), 150)


@pytest.fixture(scope="session")
def render_synthetic() -> Callable[..., Path]:
    """(folder, operations, tags=3) -> the rendered site of a synthetic API "synthetic"."""
    return _render_synthetic


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


def _serve(directory: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(directory))
    with socket_serving(ThreadingHTTPServer(("127.0.0.1", 0), handler)) as origin:
        yield origin + "/"


@pytest.fixture(scope="session")
def site_url(real_site: tuple[Path, SiteStats]) -> Iterator[str]:
    yield from _serve(real_site[0])


@pytest.fixture(scope="session")
def split_url(split_site: Path) -> Iterator[str]:
    yield from _serve(split_site)


@pytest.fixture(scope="session")
def xss_url(xss_site: Path) -> Iterator[str]:
    yield from _serve(xss_site)


def _browser_missing() -> str | None:
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        return f"Debian chromium is not installed at {CHROMIUM}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright; missing pieces fail under CI=true."""
    missing = _browser_missing()
    if missing is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run: {missing} (CI=true never skips them)")
        pytest.skip(f"browser tests skipped: {missing}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
