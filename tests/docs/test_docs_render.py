"""The rendered site of the real contracts holds every operation, parameter and schema field."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from generator.docs import SiteStats, render_site
from generator.docs.model import build_view
from generator.docs.refs import Resolver
from generator.docs.render import api_folder
from generator.docs.search_index import build_entries

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.srcs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value is not None:
                self.ids.append(value)
            if name == "href" and value is not None:
                self.hrefs.append(value)
            if name == "src" and value is not None:
                self.srcs.append(value)


def _parse(html: str) -> _Ids:
    parser = _Ids()
    parser.feed(html)
    return parser


def _page(site: Path, api: str) -> str:
    return (site / api / "index.html").read_text(encoding="utf-8")


def _operations(spec: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    resolver = Resolver(spec)
    found = []
    for item in spec["paths"].values():
        item = resolver.resolve(item)
        for method in METHODS:
            if method in item:
                found.append((item, item[method]))
    return found


def _schema_article(html: str, name: str) -> str:
    start = html.index(f'<article class="schema" id="schema/{name}">')
    end = html.find('<article class="schema"', start + 1)
    return html[start : end if end > 0 else len(html)]


def _property_names(schema: Any, resolver: Resolver, seen: set[str]) -> set[str]:
    """Property names of a schema, through inline objects, items and allOf (not other refs)."""
    name = resolver.schema_name(schema)
    if name is not None:
        if name in seen:
            return set()
        return set()
    if not isinstance(schema, dict):
        return set()
    names = set(schema.get("properties") or {})
    for sub in (schema.get("properties") or {}).values():
        names |= _property_names(sub, resolver, seen)
    if isinstance(schema.get("items"), dict):
        names |= _property_names(schema["items"], resolver, seen)
    for member in schema.get("allOf") or []:
        member_name = resolver.schema_name(member)
        target = resolver.resolve(member)
        if member_name and member_name not in seen:
            names |= _property_names(target, resolver, seen | {member_name})
        elif not member_name:
            names |= _property_names(member, resolver, seen)
    return names


def test_stats_count_pages_and_bytes(real_site: tuple[Path, SiteStats]) -> None:
    site, stats = real_site
    assert stats.pages == 3
    written = [p for p in site.rglob("*") if p.is_file()]
    assert stats.files == len(written)
    assert stats.bytes == sum(p.stat().st_size for p in written)
    assert stats.seconds > 0


def test_index_links_every_api(real_site: tuple[Path, SiteStats], bundled_specs: dict) -> None:
    index = (real_site[0] / "index.html").read_text(encoding="utf-8")
    for name, spec in bundled_specs.items():
        assert f'href="{name}/index.html"' in index
        assert spec["info"]["title"] in index


def test_every_operation_has_a_deep_link(
    real_site: tuple[Path, SiteStats], bundled_specs: dict[str, dict[str, Any]]
) -> None:
    for name, spec in bundled_specs.items():
        parsed = _parse(_page(real_site[0], name))
        ids = set(parsed.ids)
        assert len(parsed.ids) == len(ids), "duplicate ids on the page"
        for _item, operation in _operations(spec):
            anchor = f"operation/{operation['operationId']}"
            assert anchor in ids
            assert f"#{anchor}" in parsed.hrefs, f"no link to {anchor} in the sidebar"


def test_every_parameter_appears_with_its_operation(
    real_site: tuple[Path, SiteStats], bundled_specs: dict[str, dict[str, Any]]
) -> None:
    for name, spec in bundled_specs.items():
        resolver = Resolver(spec)
        ids = set(_parse(_page(real_site[0], name)).ids)
        for item, operation in _operations(spec):
            params = [*(item.get("parameters") or []), *(operation.get("parameters") or [])]
            assert params or operation["operationId"]
            for raw in params:
                param = resolver.resolve(raw)
                anchor = f"operation/{operation['operationId']}/{param['in']}/{param['name']}"
                assert anchor in ids, anchor


def test_every_schema_and_field_appears(
    real_site: tuple[Path, SiteStats], bundled_specs: dict[str, dict[str, Any]]
) -> None:
    for name, spec in bundled_specs.items():
        html = _page(real_site[0], name)
        resolver = Resolver(spec)
        schemas = spec["components"]["schemas"]
        assert schemas
        for schema_name, schema in schemas.items():
            article = _schema_article(html, schema_name)
            fields = _property_names(schema, resolver, {schema_name})
            for field in fields:
                assert f'<code class="fname">{field}</code>' in article, (schema_name, field)


def test_response_headers_and_examples_are_shown(real_site: tuple[Path, SiteStats]) -> None:
    html = _page(real_site[0], "cloud-elements")
    listing = html[html.index('id="operation/listUsers"') : html.index('id="operation/getUser"')]
    assert '<code class="fname">Elements-Next-Page-Token</code>' in listing
    assert 'class="example"' in listing
    assert 'class="hl"' in listing


def test_pages_speak_of_the_api_not_of_its_sources(real_site: tuple[Path, SiteStats]) -> None:
    """Decisions sit in x-decisions and docs/seed-decisions.md, not in public descriptions."""
    for api in ("cloud-elements", "tyk-dashboard"):
        html = _page(real_site[0], api)
        assert "seed-decision" not in html and "Seed decision" not in html
        text = re.sub(r"<script.*?</script>", "", html, flags=re.S)
        assert re.search(r"\bseeds?\b", text, re.IGNORECASE) is None, api


def test_code_samples_carry_each_api_auth_header(real_site: tuple[Path, SiteStats]) -> None:
    ce = _page(real_site[0], "cloud-elements")
    assert ce.count("User &lt;user secret&gt;, Organization &lt;organization secret&gt;") > 10
    for label in ("curl", "Python (httpx)", "JavaScript (fetch)"):
        assert f'data-label="{label}"' in ce
    tyk = _page(real_site[0], "tyk-dashboard")
    assert "Authorization: &lt;" in tyk
    assert "Bearer" not in tyk.split('id="authentication"')[1].split("</section>")[0]


def test_authentication_section_per_api(
    real_site: tuple[Path, SiteStats], bundled_specs: dict[str, dict[str, Any]]
) -> None:
    for name, spec in bundled_specs.items():
        html = _page(real_site[0], name)
        for scheme in spec["components"]["securitySchemes"]:
            assert f'id="auth/{scheme}"' in html


def test_no_outside_requests_in_markup(real_site: tuple[Path, SiteStats]) -> None:
    for page in real_site[0].rglob("*.html"):
        parsed = _parse(page.read_text(encoding="utf-8"))
        for src in parsed.srcs:
            assert not re.match(r"^[a-z]+:|^//", src), (page, src)
        text = page.read_text(encoding="utf-8")
        for local in ('<link rel="stylesheet" href="', '<link rel="icon" href="'):
            text = text.replace(local, "")
        assert "<link" not in text
    css = (real_site[0] / "assets" / "site.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css and "@font-face" not in css


def test_search_index_lists_operations_parameters_and_fields(
    real_site: tuple[Path, SiteStats], bundled_specs: dict[str, dict[str, Any]]
) -> None:
    entries = build_entries(build_view("cloud-elements", bundled_specs["cloud-elements"]))
    names = {(kind, name) for kind, name, _detail, _href in entries}
    assert ("parameter", "emailOrId") in names
    assert ("parameter", "Elements-User-Password") in names
    assert ("header", "Elements-Next-Page-Token") in names
    assert ("operation", "listUsers") in names
    assert any(kind == "field" and name == "firstName" for kind, name in names)
    text = (real_site[0] / "assets" / "search-cloud-elements.js").read_text(encoding="utf-8")
    payload = json.loads(text[text.index("(", text.index("push")) + 1 : text.rindex(")")])
    assert payload["entries"] == [list(e) for e in entries]


def test_rendering_twice_gives_the_same_bytes(
    tmp_path: Path, bundled_specs: dict[str, dict[str, Any]]
) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    render_site(bundled_specs, first)
    render_site(bundled_specs, second)
    for path in first.rglob("*"):
        if path.is_file():
            assert path.read_bytes() == (second / path.relative_to(first)).read_bytes()


def test_recursive_schema_renders_finitely(xss_site: Path) -> None:
    html = _page(xss_site, "hostile")
    node = _schema_article(html, "Node")
    assert "recursive" in node
    assert len(html) < 500_000


@pytest.mark.parametrize("depth", [3])
def test_conformance_argument_is_accepted(tmp_path: Path, xss_spec: dict, depth: int) -> None:
    stats = render_site({"hostile": xss_spec}, tmp_path, conformance={"hostile": {}})
    assert stats.pages == 2 and depth


def _section(html: str, operation_id: str) -> str:
    start = html.index(f'id="operation/{operation_id}"')
    end = html.find('id="operation/', start + 1)
    return html[start : end if end != -1 else len(html)]


def test_the_newer_operations_are_documented(real_site: tuple[Path, SiteStats]) -> None:
    """Tyk's revoke, me and both searches; Cloud Elements' /organizations/users."""
    tyk = _page(real_site[0], "tyk-dashboard")
    for operation_id in ("revokeUser", "getCurrentUser", "searchUsers", "searchUsersByQuery"):
        assert f'href="#operation/{operation_id}"' in tyk, operation_id
    assert '<span class="badge deprecated">deprecated</span>' in _section(tyk, "searchUsersByQuery")
    assert "deprecated" not in _section(tyk, "searchUsers").split("<h4>")[0]
    me = _section(tyk, "getCurrentUser")
    # The session scheme is a cookie: shown as one, never as a header named like the cookie.
    assert "<code>Cookie: authorisation=&lt;access key&gt;</code>" in me
    assert "<code>Authorization: &lt;access key&gt;</code>" in me
    elements = _page(real_site[0], "cloud-elements")
    assert 'id="tag/organization-users"' in elements
    for operation_id in (
        "listOrganizationUsers",
        "createOrganizationUser",
        "getOrganizationUser",
        "updateOrganizationUser",
        "deleteOrganizationUser",
    ):
        assert f'href="#operation/{operation_id}"' in elements, operation_id


def test_a_render_that_ends_its_command_keeps_its_objects_to_the_exit(
    tmp_path: Path, xss_spec: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`usersapi docs` freezes what the render leaves instead of collecting it (paused_gc);
    anywhere else (a test session, `usersapi up`, which serves next) it is collected."""
    import gc

    from generator import perf

    frozen = gc.get_freeze_count()
    render_site({"hostile": xss_spec}, tmp_path / "plain", keep_to_exit=True)
    assert gc.isenabled() and gc.get_freeze_count() == frozen  # not the console script
    monkeypatch.setattr(perf._Process, "console_script", True)
    try:
        render_site({"hostile": xss_spec}, tmp_path / "default")
        assert gc.get_freeze_count() == frozen
        render_site({"hostile": xss_spec}, tmp_path / "kept", keep_to_exit=True)
        assert gc.isenabled() and gc.get_freeze_count() > frozen
    finally:
        gc.unfreeze()


@pytest.mark.parametrize(
    "name, folder",
    [
        ("cloud-elements", "cloud-elements"),
        ("cloud-elements-2.0.0", "cloud-elements-2-0-0"),
        ("..", "api"),
        ("", "api"),
        ("index.html", "index-html"),  # never a page of the site's root
        ("assets", "assets-api"),  # never the styles' and scripts' folder
        ("my api/v1", "my-api-v1"),
    ],
)
def test_an_api_folder_is_a_plain_name_of_the_site(name: str, folder: str) -> None:
    assert api_folder(name) == folder


def test_the_templates_compiled_for_api_pages_are_all_an_api_page_uses() -> None:
    """They are compiled before the helpers are forked; one left out would be compiled again
    by every helper."""
    from jinja2 import meta

    from generator.docs.render import API_PAGE_TEMPLATES, _environment

    env = _environment()
    assert env.loader is not None
    reached, waiting = set(), ["api.html"]
    while waiting:
        name = waiting.pop()
        reached.add(name)
        source = env.loader.get_source(env, name)[0]
        found = meta.find_referenced_templates(env.parse(source))
        waiting.extend(str(other) for other in found if other not in reached)
    assert reached == set(API_PAGE_TEMPLATES)
