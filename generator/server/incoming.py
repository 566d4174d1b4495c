"""A request's headers and query string as plain dictionaries, read as Starlette reads them.

Every request looks up a few headers (the credential, the operation's header parameters, the
content type) and its query parameters. Starlette's ``Headers`` and ``QueryParams`` answer each
lookup through the ``Mapping`` machinery and parse the query with ``urllib``'s general
``parse_qsl``; on GET one user that was a fifth of our own code's time. These give the same
answers (tests/server/test_incoming.py holds them to Starlette's) from one pass each.
"""

from __future__ import annotations

from urllib.parse import unquote


def header_dict(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """Header name (lower case, as ASGI servers send it) -> value; the first one of a repeated
    header wins, as ``Headers.get`` answers."""
    found: dict[str, str] = {}
    for name, value in reversed(raw):
        found[name.decode("latin-1")] = value.decode("latin-1")
    return found


def query_dict(raw: bytes) -> dict[str, str]:
    """Query parameter -> value; the last one of a repeated parameter wins, as
    ``QueryParams.get`` answers. Decoded as Starlette does: latin-1, then percent-escapes as
    UTF-8 with `+` for a space (``parse_qsl(..., keep_blank_values=True)``)."""
    found: dict[str, str] = {}
    if not raw:
        return found
    for part in raw.decode("latin-1").split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        if "+" in part:
            name, value = name.replace("+", " "), value.replace("+", " ")
        found[unquote(name)] = unquote(value)
    return found
