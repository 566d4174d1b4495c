"""What a page's try-it console (static/tryit.js) needs of its operations, and where it sends."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from generator.docs.views import ApiView, Operation


def local_base(urls: Iterable[str]) -> str:
    """The path of the local reference server among the servers: relative, 127.0.0.1, localhost.

    The console runs on the page the reference server serves, so the path alone targets it on
    the same origin whatever port it listens on.
    """
    ranked = []
    for url in urls:
        try:
            parts = urlsplit(url)
        except ValueError:
            continue
        host = parts.hostname if parts.netloc else None
        rank = {None: 0, "127.0.0.1": 1, "localhost": 2}.get(host)
        if rank is not None and (parts.netloc or not parts.scheme):
            ranked.append((rank, parts.path.rstrip("/")))
    return min(ranked)[1] if ranked else ""


def tryit_data(view: ApiView, page_operations: list[Operation] | None = None) -> dict[str, Any]:
    """What tryit.js needs, once per page: method, path, parameters, auth headers, first body.

    Only the operations of the page (all of the API's when ``page_operations`` is None).
    """
    schemes = {scheme.name: scheme for scheme in view.schemes}
    operations = {}
    for op in view.operations if page_operations is None else page_operations:
        first = op.security[0] if op.security else []
        body = op.request_body
        example = body.examples[0].value if body and body.examples else None
        entry: dict[str, Any] = {
            "m": op.method.upper(),
            "p": op.path,
            "auth": [
                schemes[name].header_name
                for name in first
                if name in schemes and schemes[name].location in ("header", "")
            ],
            # [name, in, required (0/1), example text]; tryit.js pre-fills the required ones.
            "params": [
                [p.name, p.location, int(p.required), _example_text(p.example_value, p.has_example)]
                for p in op.parameters
                if p.location in ("path", "query", "header")
            ],
        }
        if body is not None:  # compact here; tryit.js indents it in the textarea
            entry["body"] = json.dumps(example, ensure_ascii=False) if body.examples else ""
            entry["ct"] = body.media_type
        operations[op.operation_id] = entry
    return {
        "api": view.slug,
        "base": local_base(url for url, _ in view.servers),
        "ops": operations,
    }


def _example_text(value: Any, present: bool) -> str:
    if not present:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
