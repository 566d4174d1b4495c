"""Markdown from the spec: raw HTML is text, unsafe link schemes are dropped, callouts marked."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
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


# Sentences and near-sentences: what the plain-text path takes and what it must leave to
# markdown-it (a block starting on a line, a hard break, markup characters, odd whitespace).
_NEAR_PLAIN = [
    "List things.",
    'Say "hi", it\'s 100% {fine} @ 10:00 = ok + more - less; (really)?',
    "One line\nand another",
    "One paragraph.\n\nAnother.\n",
    "\n\nLeading blank lines.\n\n\n",
    "Trailing spaces  \nmake a hard break",
    "Trailing space \nis dropped",
    "Indented\n    continuation",
    "Heading\n=======",
    "Heading\n---",
    "Text\n- a list",
    "Text\n1. a list",
    "# heading",
    "> quote",
    "A table | head\n--- | ---\nx | y",
    "Tab\tinside and NBSP\u00a0inside",
    "NBSP at the end\u00a0",
    "Line\u2028separator and next\x85line",
    "Form\x0cfeed",
    "Nul\x00byte",
    "Carriage\r\nreturn",
    "Émile était là. 漢字です。",
    "Links www.example.com and https://example.com stay text",
    "An entity &amp; a <tag>",
    "Some `code` and *emphasis*",
    "Some _emphasis_ and ~~struck~~ words",
    "A [link](https://example.com) and a [ref][x] here",
    "An image ![alt](x.png) here",
    "An autolink <https://example.com> here",
    "An entity &copy; here",
    "Escaped\\. dot and a\\\nbreak",
    "   ",
    "\n",
]


def _described(node: object) -> list[str]:
    """Every description of a document, found wherever it stands."""
    if isinstance(node, dict):
        found = [node["description"]] if isinstance(node.get("description"), str) else []
        return found + [text for value in node.values() for text in _described(value)]
    if isinstance(node, list):
        return [text for value in node for text in _described(value)]
    return []


def _assert_plain_path_agrees(text: str) -> None:
    from generator.docs.markdown import _MD, _plain_paragraphs

    plain = _plain_paragraphs(text)
    if plain is not None:
        assert plain == _MD.render(text), text
        assert render_markdown(text) == plain


@pytest.mark.parametrize("text", _NEAR_PLAIN)
def test_plain_descriptions_render_as_markdown_it_renders_them(text: str) -> None:
    _assert_plain_path_agrees(text)


def test_plain_path_takes_sentences_and_leaves_markup() -> None:
    from generator.docs.markdown import _plain_paragraphs

    assert (
        _plain_paragraphs("One paragraph.\n\nAnother.\n")
        == "<p>One paragraph.</p>\n<p>Another.</p>\n"
    )
    assert _plain_paragraphs("Some `code`") is None
    assert _plain_paragraphs("Text\n- a list") is None


def test_the_contracts_descriptions_render_as_markdown_it_renders_them(
    bundled_specs: dict[str, dict],
) -> None:
    texts = [text for document in bundled_specs.values() for text in _described(document)]
    assert len(texts) > 100
    for text in texts:
        _assert_plain_path_agrees(text)


@settings(max_examples=500, deadline=None)
@given(
    st.text(
        st.sampled_from("aZé漢 \n\t.,;:!?'\"()-+=#>|*_`~[]<>&\\/\u00a0\u2028\x85\x0c\r\x00019")
        | st.characters(),
        max_size=60,
    )
)
def test_any_text_renders_on_the_plain_path_as_markdown_it_renders_it(text: str) -> None:
    _assert_plain_path_agrees(text)


# Lines that start with a letter, so that most texts reach the plain path's later checks.
_LINE = st.builds(
    str.__add__,
    st.sampled_from("aZéß漢"),
    st.text(
        st.sampled_from("ab \t.,:;'\"()-+=#>|%{}$@\u00a0\u2028\u3000")
        | st.sampled_from("\\`*_~[]!<>&\x00\x0b\r"),  # each enough to leave the plain path
        max_size=12,
    ),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_LINE | st.sampled_from(["", " ", "\t"]), max_size=6))
def test_any_sentences_render_on_the_plain_path_as_markdown_it_renders_them(
    lines: list[str],
) -> None:
    _assert_plain_path_agrees("\n".join(lines))
