"""A proxy session in front of an upstream, as the proxy tests use it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from generator.proxy.judge import JudgedSession
from generator.proxy.serve import proxying


@dataclass
class Proxied:
    origin: str  # the proxy's origin
    upstream: str  # the server's origin
    session: JudgedSession
    lines: list[str] = field(default_factory=list)

    def violations(self) -> list[str]:
        """The violation lines printed so far, once every exchange sent is judged."""
        assert self.session.wait_settled()
        return [line for line in self.lines if line.startswith("VIOLATION")]


def start_proxy(api: str, upstream: str) -> Iterator[Proxied]:
    lines: list[str] = []
    with proxying(api, upstream, lines.append) as (origin, session):
        proxied = Proxied(origin, upstream, session, lines)
        yield proxied
