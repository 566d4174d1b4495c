"""Password hashing: salted scrypt, cost configurable so tests stay fast."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets

# Production-ish cost; tests lower it via USERSAPI_SCRYPT_N (e.g. 1024) or configure().
_cost = {"n": int(os.environ.get("USERSAPI_SCRYPT_N", 2**14)), "r": 8, "p": 1}


def configure(*, n: int) -> None:
    """Change the scrypt cost for new hashes (existing hashes keep their own cost)."""
    _cost["n"] = n


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    n, r, p = _cost["n"], _cost["r"], _cost["p"]
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=2**27, dklen=32)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        _, n, r, p, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            maxmem=2**27,
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)
