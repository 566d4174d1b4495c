"""The two error formats: Cloud Elements `{requestId, message}`, Tyk `{Status, Message, Meta}`."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping

from starlette.responses import Response

from .responses import Json


class ApiError(Exception):
    """Raised anywhere while handling a request; rendered in the calling API's own format."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


def cloud_elements_error(error: ApiError) -> Response:
    request_id = uuid.uuid4().hex
    body = {"requestId": request_id, "message": error.message}
    headers = {"Elements-Request-Id": request_id, **error.headers}
    return Json(body, status_code=error.status, headers=headers)


def tyk_error(error: ApiError) -> Response:
    body = {"Status": "Error", "Message": error.message, "Meta": None}
    return Json(body, status_code=error.status, headers=error.headers)


ErrorRenderer = Callable[[ApiError], Response]
