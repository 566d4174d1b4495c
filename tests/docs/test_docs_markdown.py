"""Markdown from the spec: raw HTML is text, unsafe link schemes are dropped, callouts marked."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from generator.docs.markdown import is_safe_url, render_inline, render_markdown


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "data:image/png;base64,iVBORw0KGgo=",
        "vbscript:msgbox",
        "file:///etc/passwd",
    ],
)
def test_unsafe_schemes_are_refused(url: str) -> None:
    assert not is_safe_url(url)


@pytest.mark.parametrize(
    "url", ["https://example.org", "http://x", "mailto:a@b.c", "#x", "/a", "b"]
)
def test_safe_urls_are_kept(url: str) -> None:
    assert is_safe_url(url)


def test_markdown_it_default_validate_link_blocks_javascript() -> None:
    # The brief relies on markdown-it's own validateLink; check it, and that ours is stricter.
    default = MarkdownIt("commonmark")
    assert 'href="javascript' not in default.render("[x](javascript:alert(1))")
    assert 'href="data:image/png' in default.render("[x](data:image/png;base64,AAAA)")
    assert "href=" not in render_markdown("[x](data:image/png;base64,AAAA)")


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x](javascript&#58;alert(1))",
        "<javascript:alert(1)>",
        "[x][r]\n\n[r]: javascript:alert(1)",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_unsafe_links_render_as_text(source: str) -> None:
    html = str(render_markdown(source))
    assert "<a" not in html
    assert str(render_inline(source)).count("<a") == 0


def test_raw_html_is_escaped() -> None:
    html = str(render_markdown('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">'))
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_images_are_not_fetched() -> None:
    assert "<img" not in str(render_markdown("![t](https://tracker.invalid/p.png)"))


def test_safe_links_and_fences_survive() -> None:
    html = str(render_markdown("[docs](https://example.org)\n\n```bash\ncurl -X GET 'x'\n```"))
    assert '<a href="https://example.org">docs</a>' in html
    assert '<span class="s1">' in html  # highlighted by Pygments at build time


def test_seed_decision_paragraphs_become_callouts() -> None:
    html = str(render_markdown("Intro.\n\n**Seed decision D-CE-07:** because.\n\n**Note:** no."))
    assert '<p class="seed-decision"><strong>Seed decision D-CE-07:</strong> because.</p>' in html
    assert "<p><strong>Note:</strong> no.</p>" in html


@pytest.mark.parametrize("source", ["```http\nGET /users HTTP/1.1\n```", "    indented code"])
def test_code_blocks_are_focusable_so_keyboards_can_scroll_them(source: str) -> None:
    html = str(render_markdown(source))
    assert html.startswith('<pre tabindex="0" role="group" aria-label="Code block"><code')
    assert "<pre>" not in html


def test_a_spec_cannot_forge_the_focusable_code_block() -> None:
    html = str(render_markdown('Text <pre> and `<pre tabindex="0">`'))
    assert "<pre" not in html and "&lt;pre&gt;" in html


def test_an_empty_corner_cell_is_not_an_empty_header() -> None:
    html = str(render_markdown("| | v1 | v2 |\n|---|---|---|\n| ids | 24 hex | 48 hex |"))
    assert "<td></td>" in html and "<th>v1</th>" in html and "<th></th>" not in html


def test_tables_scroll_in_a_focusable_wrapper() -> None:
    html = str(render_markdown("| a | b |\n|---|---|\n| 1 | 2 |"))
    assert html.startswith('<div class="table-wrap" tabindex="0" role="group" aria-label="Table">')
    assert html.rstrip().endswith("</table></div>")
