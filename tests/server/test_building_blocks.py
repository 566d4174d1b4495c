"""The server's small parts: page tokens, sealing, passwords, the contract response checker."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import pytest
from server_harness import ContractMismatch, ResponseChecker

from generator.server import passwords
from generator.server.paging import BadPageToken, PageTokens
from generator.server.sealing import SEAL_FORMAT, SealBox


def test_page_tokens_round_trip_and_reject_tampering() -> None:
    tokens = PageTokens(b"k" * 32)
    query = tokens.query_hash(1, None, "active = true", False)
    token = tokens.issue(42, query)
    assert tokens.read(token, query) == 42
    for bad in [token[:-1], token + "A", "", "!!!", PageTokens(b"x" * 32).issue(42, query)]:
        with pytest.raises(BadPageToken):
            tokens.read(bad, query)
    with pytest.raises(BadPageToken):
        tokens.read(token, tokens.query_hash(1, None, None, False))


def test_page_tokens_keep_the_format_earlier_servers_issued() -> None:
    """A token stays valid across an upgrade: the same signed JSON payload, the same hash."""
    key = b"k" * 32
    tokens = PageTokens(key)
    parts = (1, 7, "city = 'Denver'", True)
    query = hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:16]
    assert tokens.query_hash(*parts) == query
    assert tokens.query_hash(1, 7, "city = 'Denver'", 1) != query  # 1 is not True here
    payload = json.dumps({"after": 123456789, "q": query}, separators=(",", ":")).encode()
    signature = hmac.new(key, payload, hashlib.sha256).digest()[:16]
    earlier = base64.urlsafe_b64encode(payload + signature).decode().rstrip("=")
    assert tokens.issue(123456789, query) == earlier


def test_sealing_round_trip_and_wrong_key() -> None:
    box = SealBox(b"a" * 32)
    sealed = box.seal("my secret")
    assert b"my secret" not in sealed and box.unseal(sealed) == "my secret"
    assert SealBox(b"b" * 32).unseal(sealed) is None
    assert box.unseal(sealed[:-1] + bytes([sealed[-1] ^ 1])) is None
    assert box.seal("my secret") != sealed  # a fresh nonce per seal


def test_sealed_blobs_carry_their_format_and_refuse_others() -> None:
    box = SealBox(b"a" * 32)
    sealed = box.seal("my secret")
    assert sealed[:1] == SEAL_FORMAT
    # A blob of the retired format (16-byte nonce, no format byte) is refused, never misread.
    assert box.unseal(b"\x01" + sealed[1:]) is None
    assert box.unseal(sealed[:20]) is None and box.unseal(b"") is None and box.unseal(None) is None


def test_password_hashes_are_salted_and_verify() -> None:
    passwords.configure(n=2**10)
    # A password that cannot occur in base64 output by chance (it has spaces and '!').
    password = "correct horse battery staple!"
    first, second = passwords.hash_password(password), passwords.hash_password(password)
    assert first != second and password not in first
    assert passwords.verify_password(password, first)
    assert not passwords.verify_password("correct horse battery stapler", first)
    assert not passwords.verify_password(password, "garbage")


def test_response_checker_catches_contract_violations(specs: dict[str, Any]) -> None:
    checker = ResponseChecker(specs["cloud-elements"])
    json_headers = {"content-type": "application/json"}
    with pytest.raises(ContractMismatch):
        checker.check("getUser", 200, json_headers, b'{"id": "not-an-int"}')
    with pytest.raises(ContractMismatch):
        checker.check("getUser", 418, json_headers, b"{}")
    with pytest.raises(ContractMismatch):
        checker.check("deleteUser", 200, json_headers, b'{"unexpected": true}')


def test_json_responses_match_the_stdlib_encoding_even_for_huge_integers() -> None:
    from generator.server.responses import Json

    value = {"name": "Zoë", "n": [1, 2.5, None, True], "big": 10**30}
    expected = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert Json(value).body == expected
    del value["big"]
    assert Json(value).body == json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
