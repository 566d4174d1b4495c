"""`usersapi serve`: build the app, print where it listens and the demo credentials, run uvicorn."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import uvicorn

from generator.addresses import CannotListen, bind, http_origin
from generator.joined_writes import JoinedWritesProtocol

from .app import build_app
from .demo import credentials

DEFAULT_DB = "build/usersapi.sqlite3"
DEFAULT_DOCS = Path("build/site")


def describe(base_url: str, creds: dict) -> str:
    lines = [
        f"Cloud Elements Users API: {base_url}/elements/api-v2",
        f"Tyk Dashboard Users API:  {base_url}/api/users",
    ]
    if creds:
        ce, tyk = creds["cloud-elements"], creds["tyk-dashboard"]
        lines += [
            "Demo credentials (random per database):",
            f"  Cloud Elements org admin  Authorization: {ce['Authorization']}",
            f"  Cloud Elements accounts   default {ce['default_account_id']},"
            f" second {ce['second_account_id']}",
            f"  Tyk Dashboard admin       Authorization: {tyk['Authorization']}",
        ]
    return "\n".join(lines)


AddressInUse = CannotListen  # what `usersapi serve` and `up` report of a taken address


def run(
    host: str = "127.0.0.1",
    port: int = 8080,
    db: str | None = None,
    demo: bool = False,
    credentials_file: str | None = None,
    docs_dir: str | None = None,
    sock: socket.socket | None = None,
) -> None:
    """Serve both APIs until interrupted (the entry point of `usersapi serve`).

    `sock` is a socket already bound by `bind` (so callers can fail fast before other work).
    """
    sock = sock or bind(host, port)
    docs = Path(docs_dir) if docs_dir else DEFAULT_DOCS
    app = build_app(db or DEFAULT_DB, demo=demo, docs_dir=docs)
    bound_port = sock.getsockname()[1]  # --port 0 asks the system for a free port: say which
    base_url = http_origin(host, bound_port)
    creds = credentials(app.state.server, base_url)
    print(describe(base_url, creds), flush=True)
    if credentials_file:
        Path(credentials_file).parent.mkdir(parents=True, exist_ok=True)
        Path(credentials_file).write_text(json.dumps(creds, indent=2) + "\n")
        print(f"Credentials written to {credentials_file}", flush=True)
    if docs.is_dir():
        prefilled = " (try-it console pre-filled with the demo credentials)" if demo else ""
        print(f"\nOpen the docs: {base_url}/docs/{prefilled}", flush=True)
    # Loopback reference server: no proxy to trust, so no X-Forwarded-* rewriting per request.
    config = uvicorn.Config(
        app,
        http=JoinedWritesProtocol,  # an answer's head and body in one send
        log_level="warning",
        access_log=False,
        proxy_headers=False,
        server_header=False,
    )
    uvicorn.Server(config).run(sockets=[sock])
