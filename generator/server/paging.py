"""Opaque, HMAC-signed keyset page tokens (last id seen + a hash of the query they belong to)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from functools import lru_cache


class BadPageToken(ValueError):
    pass


class PageTokens:
    def __init__(self, key: bytes) -> None:
        # Copied for each signature: a new HMAC fetches SHA-256 from OpenSSL each time.
        self._mac = hmac.new(key, digestmod=hashlib.sha256)

    @staticmethod
    @lru_cache(maxsize=1024, typed=True)  # a client pages through one query: one hash
    def query_hash(*parts: object) -> str:
        # Binds a token to its filter, so a token cannot be replayed against another query.
        return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:16]

    def _sign(self, payload: bytes) -> bytes:
        mac = self._mac.copy()
        mac.update(payload)
        return mac.digest()[:16]

    def issue(self, last_id: int, query_hash: str) -> str:
        # What json.dumps(..., separators=(",", ":")) writes for an int and a hex digest,
        # written directly: it was a tenth of a page's time.
        payload = f'{{"after":{int(last_id)},"q":"{query_hash}"}}'.encode()
        token = payload + self._sign(payload)
        return base64.urlsafe_b64encode(token).decode().rstrip("=")

    def read(self, token: str, query_hash: str) -> int:
        """The id to continue after; BadPageToken when tampered with or for another query."""
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except (ValueError, TypeError) as exc:
            raise BadPageToken("nextPage is not a valid page token") from exc
        payload, signature = raw[:-16], raw[-16:]
        if len(raw) <= 16 or not hmac.compare_digest(signature, self._sign(payload)):
            raise BadPageToken("nextPage is not a valid page token")
        data = json.loads(payload)
        if data.get("q") != query_hash:
            raise BadPageToken("nextPage token belongs to a different query")
        return int(data["after"])
