"""Secrets the API must show again (user/org secrets, Tyk access keys).

They are looked up by an index hash (SHA-256: the secrets are random, so a fast hash is safe)
and compared with hmac.compare_digest. Because the APIs return them again later (Tyk's
access_key on every read, Cloud Elements' secret with the right password, demo credentials
printed at each start), a copy is also kept *sealed*: encrypted and authenticated with AES-256-GCM
(the ``cryptography`` package's vetted AEAD, not a construction of our own) under a server key
that lives in a separate file next to the database (``<db>.key``, mode 0600), so a copy of the
database alone reveals no usable secret.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

# First byte of every sealed blob: the format, so a blob of another format is refused, not misread.
SEAL_FORMAT = b"\x02"
_NONCE_BYTES = 12  # the GCM standard nonce; random per seal (at most a few million seals per key)


def new_secret(nbytes: int = 30) -> str:
    return secrets.token_urlsafe(nbytes)


def index_hash(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


class SealBox:
    def __init__(self, key: bytes) -> None:
        # One key file, separate keys per use: the cipher key and the page-token signing key.
        self._aead = AESGCM(hmac.new(key, b"aes-256-gcm", hashlib.sha256).digest())
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

    def seal(self, plaintext: str) -> bytes:
        nonce = secrets.token_bytes(_NONCE_BYTES)
        return SEAL_FORMAT + nonce + self._aead.encrypt(nonce, plaintext.encode(), SEAL_FORMAT)

    def unseal(self, sealed: bytes | None) -> str | None:
        """The plaintext, or None when the blob was sealed under another key (key file lost)."""
        if not sealed or sealed[:1] != SEAL_FORMAT:
            return None
        nonce, body = sealed[1 : 1 + _NONCE_BYTES], sealed[1 + _NONCE_BYTES :]
        try:
            return self._aead.decrypt(nonce, body, SEAL_FORMAT).decode()
        except (InvalidTag, ValueError):
            return None
