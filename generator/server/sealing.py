"""Secrets the API must show again (user/org secrets, Tyk access keys).

They are looked up by an index hash (SHA-256: the secrets are random, so a fast hash is safe)
and compared with hmac.compare_digest. Because the APIs return them again later (Tyk's
access_key on every read, Cloud Elements' secret with the right password, demo credentials
printed at each start), a copy is also kept *sealed*: encrypted and authenticated with a
server key that lives in a separate file next to the database (``<db>.key``, mode 0600), so a
copy of the database alone reveals no usable secret. Standard library only: HMAC-SHA256 in
counter mode as the stream cipher, encrypt-then-MAC.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path


def new_secret(nbytes: int = 30) -> str:
    return secrets.token_urlsafe(nbytes)


def index_hash(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


class SealBox:
    def __init__(self, key: bytes) -> None:
        self._enc = hmac.new(key, b"encrypt", hashlib.sha256).digest()
        self._mac = hmac.new(key, b"authenticate", hashlib.sha256).digest()
        self.paging_key = hmac.new(key, b"paging", hashlib.sha256).digest()

    @classmethod
    def for_database(cls, db_path: str) -> SealBox:
        if db_path == ":memory:":
            return cls(secrets.token_bytes(32))
        key_file = Path(db_path + ".key")
        if not key_file.exists():
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(secrets.token_bytes(32))
        return cls(key_file.read_bytes())

    def _keystream(self, nonce: bytes, length: int) -> bytes:
        blocks = (length + 31) // 32
        return b"".join(
            hmac.new(self._enc, nonce + i.to_bytes(4, "big"), hashlib.sha256).digest()
            for i in range(blocks)
        )[:length]

    def seal(self, plaintext: str) -> bytes:
        nonce = secrets.token_bytes(16)
        data = plaintext.encode()
        body = bytes(a ^ b for a, b in zip(data, self._keystream(nonce, len(data)), strict=True))
        tag = hmac.new(self._mac, nonce + body, hashlib.sha256).digest()[:16]
        return nonce + body + tag

    def unseal(self, sealed: bytes | None) -> str | None:
        """The plaintext, or None when the blob was sealed under another key (key file lost)."""
        if not sealed or len(sealed) < 32:
            return None
        nonce, body, tag = sealed[:16], sealed[16:-16], sealed[-16:]
        expected = hmac.new(self._mac, nonce + body, hashlib.sha256).digest()[:16]
        if not hmac.compare_digest(tag, expected):
            return None
        stream = self._keystream(nonce, len(body))
        return bytes(a ^ b for a, b in zip(body, stream, strict=True)).decode()
