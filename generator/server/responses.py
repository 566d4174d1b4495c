"""JSON responses encoded with orjson: encoding was the largest cost left in our own code."""

from __future__ import annotations

import json
from typing import Any

import orjson
from starlette.responses import JSONResponse, Response


class Json(JSONResponse):
    """Starlette's JSONResponse, same compact UTF-8 output, about 10x faster to encode."""

    def render(self, content: Any) -> bytes:
        try:
            return orjson.dumps(content)
        except orjson.JSONEncodeError:
            # Integers beyond 64 bits (valid JSON a client may have stored): the stdlib's way.
            return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class JsonText(Response):
    """A body already in JSON (users as stored, ce_views): sent as it is, never encoded again."""

    media_type = "application/json"
