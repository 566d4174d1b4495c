"""Run a proxy session: bind (port 0 picks a free port), forward until stopped, report.

uvicorn serves the forwarding app and turns Ctrl-C and SIGTERM into a graceful stop; the
reports are written after it returns. `proxying` runs one in a thread (tests, benches).
"""

from __future__ import annotations

import signal
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import uvicorn

from generator import addresses
from generator.addresses import http_origin

from .forward import ForwardingApp
from .gateway import bad_gateway
from .judge import JudgedSession
from .malformed import reporting_to


class ProxySetupError(Exception):
    """The proxy cannot start: a bad upstream URL or an address that cannot be bound."""


def check_upstream(upstream: str) -> str:
    parts = urlsplit(upstream)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ProxySetupError(f"--upstream {upstream!r} must be an http:// or https:// URL")
    return upstream.rstrip("/")


def bind(host: str, port: int) -> socket.socket:
    try:
        return addresses.bind(host, port)
    except addresses.CannotListen as error:
        raise ProxySetupError(str(error)) from None


class _Server(uvicorn.Server):
    """uvicorn's server, saying when it listens: its signal handlers are in place by then, so
    a SIGTERM sent after that line always ends the session with its reports."""

    def __init__(self, config: uvicorn.Config, on_started: Callable[[], None]) -> None:
        super().__init__(config)
        self.on_started = on_started

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            self.on_started()


def forwarding_app(session: JudgedSession, api: str) -> ForwardingApp:
    """The ASGI app that forwards to the session's upstream and hands it every exchange."""
    return ForwardingApp(
        session.upstream, session.on_exchange, lambda message: bad_gateway(api, message)
    )


def _server(
    session: JudgedSession, api: str, on_started: Callable[[], None] = lambda: None
) -> uvicorn.Server:
    app = forwarding_app(session, api)
    config = uvicorn.Config(
        app,
        # An answer's head and body in one send; a request uvicorn refuses as malformed (it
        # never reaches the app) still becomes an exchange of the session.
        http=reporting_to(session.on_exchange),
        log_level="critical",  # violations are ours to print; a cut connection is one of them
        access_log=False,
        lifespan="on",
        proxy_headers=False,  # forwarded unchanged: no X-Forwarded-* rewriting of the scope
        server_header=False,  # the upstream's headers pass unchanged, none added
        date_header=False,
    )
    return _Server(config, on_started)


def run_proxy(
    api: str, upstream: str, host: str, port: int, echo: Callable[[str], None]
) -> JudgedSession:
    """Serve until Ctrl-C or SIGTERM; the finished session (every exchange judged)."""
    upstream = check_upstream(upstream)
    sock = bind(host, port)  # before the judge starts: a usage error leaves nothing running
    bound = sock.getsockname()[1]
    session = JudgedSession(api, upstream, echo)

    def started() -> None:
        echo(f"usersapi proxy: {api} on {http_origin(host, bound)} -> {upstream}")

    # uvicorn stops on SIGINT/SIGTERM and then raises the signal again for the handler it found:
    # with these, that second delivery is a no-op and the reports still get written.
    previous = {sig: signal.signal(sig, _stopping) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        _server(session, api, started).run(sockets=[sock])
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sock.close()
        session.finish()  # waits for the judge to catch up: the reports miss nothing
    return session


def outside_line(session: JudgedSession) -> str:
    """What was forwarded without being judged: a client with a wrong base path finds out."""
    count, where = session.outside, session.base_path or "/"
    requests = "1 request outside {} was" if count == 1 else f"{count} requests outside {{}} were"
    return requests.format(where) + " forwarded unjudged"


def _stopping(signum: int, frame: object) -> None:
    """The session is ending already (uvicorn saw the signal first)."""


@contextmanager
def proxying(
    api: str, upstream: str, echo: Callable[[str], None] = lambda line: None
) -> Iterator[tuple[str, JudgedSession]]:
    """A proxy on a free loopback port in a thread: (its origin, the session), finished after."""
    upstream = check_upstream(upstream)
    sock = bind("127.0.0.1", 0)
    session = JudgedSession(api, upstream, echo)
    listening = threading.Event()
    server = _server(session, api, listening.set)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        if not listening.wait(timeout=30):
            raise ProxySetupError("the proxy did not start")
        yield f"http://127.0.0.1:{sock.getsockname()[1]}", session
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
        session.finish()
