"""The request and response excerpts a finding shows: short, and on the part at fault.

A body is shown as one line of JSON (anything else as it came), cut at `EXCERPT` characters.
A long body whose fault has a known place (a schema failure's instance path) is shown instead
as the path down to the first value around the fault that fits whole, the rest counted but
left out, so a user at fault 58th in a listing of 100 is on screen rather than past the cut:
`{"users": [… 57 items, {"id": "…", "email_address": 12, …}, … 42 items], … 1 other key}`.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from typing import Any

EXCERPT = 600  # characters of a body kept in a finding: enough to see the fault, not a dump
Place = Sequence[str | int]  # keys and indexes from the body down to the value at fault


def request_excerpt(request: Any) -> str:
    """`METHOD URL` and the body, as sent (credentials are headers, which are left out)."""
    if request is None:
        return ""
    line = f"{request.method} {request.uri}"
    body = body_excerpt(request.body)
    return f"{line}\n{body}" if body else line


def response_excerpt(response: Any, fault_at: Place | None = None) -> str:
    if response is None:
        return "(no response)"
    content_type = response.headers.get("content-type", [""])
    if isinstance(content_type, list):
        content_type = content_type[0] if content_type else ""
    head = f"{response.status_code} {content_type}".rstrip()
    body = body_excerpt(response.content, fault_at)
    return f"{head}\n{body}" if body else head


def body_excerpt(data: bytes | str | None, fault_at: Place | None = None) -> str:
    if not data:
        return ""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    value: Any = None
    with contextlib.suppress(ValueError):  # JSON on one line; anything else as it came
        value = json.loads(text)
        text = _json(value)
    if len(text) <= EXCERPT:
        return text
    if fault_at and value is not None and _reaches(value, fault_at):
        return _down_to(value, list(fault_at))
    return _cut(text)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _cut(text: str) -> str:
    return text if len(text) <= EXCERPT else text[:EXCERPT] + f"... ({len(text)} characters)"


def _reaches(value: Any, place: Place) -> bool:
    for step in place:
        if not _has(value, step):
            return False
        value = value[step]
    return True


def _has(value: Any, step: str | int) -> bool:
    if isinstance(value, dict):
        return step in value
    return isinstance(value, list) and isinstance(step, int) and 0 <= step < len(value)


def _down_to(value: Any, place: list[str | int]) -> str:
    """`value` with only the path to `place` written out (`_reaches` holds), down to the first
    value on it that fits whole: the user around a wrong field, not the field alone."""
    text = _json(value)
    if not place or len(text) <= EXCERPT:
        return _cut(text)
    step, rest = place[0], place[1:]
    if isinstance(value, dict):
        inner = f"{_json(step)}: {_down_to(value[step], rest)}"
        return "{" + ", ".join([inner, *_left_out(len(value) - 1, "other key")]) + "}"
    assert isinstance(step, int)
    before, after = step, len(value) - step - 1
    parts = [*_left_out(before, "item"), _down_to(value[step], rest), *_left_out(after, "item")]
    return "[" + ", ".join(parts) + "]"


def _left_out(count: int, noun: str) -> list[str]:
    return [f"… {count} {noun}{'s' if count > 1 else ''}"] if count else []
