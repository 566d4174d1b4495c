"""A value (a request body, the headers) written out as a Python or JSON literal, in lines of
pieces (``code_pieces``): the brackets and commas are code, the keys and scalars literals."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.docs.code_pieces import Line, Literal


@dataclass(frozen=True)
class Layout:
    indent: str
    comma_after_last: bool  # Python's layout ends every item with a comma, JSON's all but the last
    key: Callable[[Any], str]
    scalar: Callable[[Any], str]


# json.dumps(value, ensure_ascii=False) without making an encoder at every call, as json.dumps
# does for any argument but the defaults.
json_literal = json.JSONEncoder(ensure_ascii=False).encode


def _python_scalar(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return {None: "None", True: "True", False: "False"}[value]
    return json_literal(value)


def _json_key(key: Any) -> str:
    # json.dumps writes a non-string key (number, boolean, null) as a string of its JSON text.
    return json_literal(key if isinstance(key, str) else json.dumps(key))


# A key as a JSON string is a Python string literal too, written as the text it is: an
# ASCII-escaped character above U+FFFF would be a surrogate pair, two characters to Python.
PYTHON = Layout("    ", True, key=lambda key: json_literal(str(key)), scalar=_python_scalar)
# json.dumps(value, indent=2, ensure_ascii=False), line by line
JSON = Layout("  ", False, key=_json_key, scalar=json_literal)


def framed(head: Line, lines: list[Line], tail: Line = ()) -> list[Line]:
    """``lines`` (changed in place) after ``head`` on the first line, ``tail`` ending the last."""
    lines[0] = head + lines[0]
    lines[-1] = lines[-1] + tail
    return lines


def value_lines(value: Any, layout: Layout, depth: int = 0) -> list[Line]:
    """``value`` as nested at ``depth``: the first line starts where the caller's prefix ends,
    the others (and the closing bracket) are indented for that depth."""
    inner = layout.indent * (depth + 1)
    items: list[tuple[Line, Any]]
    if isinstance(value, dict):
        brackets = "{}"
        items = [((inner, Literal(layout.key(key)), ": "), item) for key, item in value.items()]
    elif isinstance(value, (list, tuple)):
        brackets = "[]"
        items = [((inner,), item) for item in value]
    else:
        return [(Literal(layout.scalar(value)),)]
    if not items:
        return [(brackets,)]
    lines: list[Line] = [(brackets[0],)]
    for index, (head, item) in enumerate(items):
        comma = (",",) if layout.comma_after_last or index < len(items) - 1 else ()
        lines += framed(head, value_lines(item, layout, depth + 1), comma)
    lines.append((layout.indent * depth + brackets[1],))
    return lines
