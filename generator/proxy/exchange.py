"""One request and its answer as the proxy saw them on the wire (bodies kept up to a limit)."""

from __future__ import annotations

from dataclasses import dataclass, field

# Bodies are forwarded as they stream; a copy is kept for the checks only up to this size, so a
# huge download passes through without being held in memory (its body is then not checked).
KEPT_BODY = 4 << 20


@dataclass
class Exchange:
    method: str
    raw_path: bytes
    query_string: bytes
    headers: list[tuple[bytes, bytes]]
    body: bytearray = field(default_factory=bytearray)
    body_size: int = 0
    status: int = 0
    response_headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    response_body: bytearray = field(default_factory=bytearray)
    response_size: int = 0
    elapsed: float = 0.0
    unreachable: str | None = None  # why no answer came from the upstream (the proxy said 502)
    invalid_answer: str | None = None  # why the upstream's answer is not HTTP (the proxy said 502)
    cut_short: str | None = None  # why the answer's body stopped before its end
    request_cut: str | None = None  # why the request's body stopped before its end
    malformed: str | None = None  # why the request is not HTTP/1.1 (answered 400, not forwarded)

    def keep_request(self, chunk: bytes) -> None:
        self.body_size += len(chunk)
        if len(self.body) + len(chunk) <= KEPT_BODY:
            self.body += chunk

    def keep_response(self, chunk: bytes) -> None:
        self.response_size += len(chunk)
        if len(self.response_body) + len(chunk) <= KEPT_BODY:
            self.response_body += chunk

    @property
    def request_kept_whole(self) -> bool:
        return self.request_cut is None and len(self.body) == self.body_size

    @property
    def response_kept_whole(self) -> bool:
        return len(self.response_body) == self.response_size

    def to_wire(self) -> tuple:
        """The fields as a plain tuple: what goes to the judge process (it pickles in half the
        time a dataclass instance takes)."""
        return tuple(getattr(self, name) for name in _FIELDS)

    @classmethod
    def from_wire(cls, fields: tuple) -> Exchange:
        return cls(*fields)  # the fields in their declared order, as `to_wire` gives them

    def header(self, name: str) -> str | None:
        wanted = name.lower().encode("latin-1")
        for key, value in self.headers:
            if key.lower() == wanted:
                return value.decode("latin-1")
        return None


_FIELDS = tuple(name for name in Exchange.__dataclass_fields__)
