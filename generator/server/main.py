"""`usersapi serve`: build the app, print where it listens and the demo credentials, run uvicorn."""

from __future__ import annotations

import json
from pathlib import Path

import uvicorn

from .app import build_app
from .demo import credentials

DEFAULT_DB = "build/usersapi.sqlite3"
DEFAULT_DOCS = Path("build/docs")


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


def run(
    host: str = "127.0.0.1",
    port: int = 8080,
    db: str | None = None,
    demo: bool = False,
    credentials_file: str | None = None,
    docs_dir: str | None = None,
) -> None:
    """Serve both APIs until interrupted (the entry point of `usersapi serve`)."""
    docs = Path(docs_dir) if docs_dir else DEFAULT_DOCS
    app = build_app(db or DEFAULT_DB, demo=demo, docs_dir=docs)
    base_url = f"http://{host}:{port}"
    creds = credentials(app.state.server, base_url)
    print(describe(base_url, creds), flush=True)
    if docs.is_dir():
        print(f"Docs: {base_url}/docs/", flush=True)
    if credentials_file:
        Path(credentials_file).parent.mkdir(parents=True, exist_ok=True)
        Path(credentials_file).write_text(json.dumps(creds, indent=2) + "\n")
        print(f"Credentials written to {credentials_file}", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
