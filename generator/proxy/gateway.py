"""The proxy's own answer when the upstream cannot be reached: 502 in the API's error format."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable

Answer = tuple[int, list[tuple[bytes, bytes]], bytes]
JSON = (b"content-type", b"application/json")


def _cloud_elements(message: str) -> Answer:
    request_id = uuid.uuid4().hex
    body = json.dumps({"requestId": request_id, "message": message}).encode()
    return 502, [JSON, (b"elements-request-id", request_id.encode())], body


def _tyk(message: str) -> Answer:
    body = json.dumps({"Status": "Error", "Message": message, "Meta": None}).encode()
    return 502, [JSON], body


GATEWAY_ERRORS: dict[str, Callable[[str], Answer]] = {
    "cloud-elements": _cloud_elements,
    "tyk-dashboard": _tyk,
}


def bad_gateway(api: str, message: str) -> Answer:
    status, headers, body = GATEWAY_ERRORS[api](message)
    return status, [*headers, (b"content-length", str(len(body)).encode())], body
