"""Per-server state (database, keys, caches) and the bound request handed to handlers."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.requests import Request

from .paging import PageTokens
from .sealing import SealBox
from .store import StorageFormatError, connect

# Request scope key: the cookies that may carry this operation's credential (its contract's
# apiKey-in-cookie security schemes), for the API's authenticate function.
CREDENTIAL_COOKIES = "usersapi.credential_cookies"


@dataclass
class ServerState:
    db_path: str
    conn: sqlite3.Connection
    box: SealBox
    tokens: PageTokens
    # Authorization header digest -> principal. Cleared on every write that could change who
    # may do what (cheap: writes are rare next to reads, and correctness beats hit rate).
    auth_cache: dict[bytes, Any] = field(default_factory=dict)
    # Cloud Elements' `where` filters (ceql.UserWhere), on the fields its contract marks: made
    # once by cloud_elements.prepare when the server is built, before any data is written.
    user_where: Any = None

    @classmethod
    def open(cls, db_path: str) -> ServerState:
        """Open (or create) the database and its key file; StorageError says why it cannot."""
        try:
            if db_path != ":memory:":  # `serve` on a fresh clone: build/ does not exist yet
                Path(db_path).parent.mkdir(parents=True, exist_ok=True)
            box = SealBox.for_database(db_path)
            return cls(db_path, connect(db_path), box, PageTokens(box.paging_key))
        except OSError as error:
            reason = error.strerror or str(error)
            raise StorageError(f"cannot open {error.filename or db_path}: {reason}") from None
        except StorageFormatError as error:
            raise StorageError(str(error)) from None
        except sqlite3.DatabaseError as error:
            raise StorageError(f"cannot use {db_path} as the database: {error}") from None

    def forget_auth(self) -> None:
        self.auth_cache.clear()

    def close(self) -> None:
        self.conn.close()


class StorageError(Exception):
    """The database or its key file cannot be opened or used."""


@dataclass
class Call:
    request: Request
    state: ServerState
    principal: Any
    path: dict[str, Any]
    query: dict[str, Any]  # bound: coerced, with the contract's defaults
    headers: dict[str, Any]
    body: Any
    sent_query: dict[str, Any]  # as the request sent it (which parameters it named)
