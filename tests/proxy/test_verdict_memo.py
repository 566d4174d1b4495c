"""Byte-identical exchanges are judged once, yet each is counted and each violation reported."""

from __future__ import annotations

from generator.openapi.bundle import bundle_api
from generator.proxy.exchange import Exchange
from generator.proxy.memo import MEMO_BYTES, fingerprint
from generator.proxy.session import ProxySession

JSON = (b"content-type", b"application/json")


def _exchange(status: int = 418, body: bytes = b'{"message": "no"}') -> Exchange:
    ex = Exchange(
        method="GET",
        raw_path=b"/elements/api-v2/users/3",
        query_string=b"",
        headers=[(b"authorization", b"User a, Organization b")],
    )
    ex.status = status
    ex.response_headers = [JSON, (b"content-length", str(len(body)).encode())]
    ex.keep_response(body)
    return ex


def test_a_repeated_violation_is_reported_each_time_but_judged_once() -> None:
    lines: list[str] = []
    session = ProxySession("cloud-elements", bundle_api("cloud-elements"), "http://h", lines.append)
    try:
        for _ in range(3):
            session.on_exchange(_exchange())  # 418: a status the contract does not declare
        session.on_exchange(_exchange(status=419))
    finally:
        result = session.finish()
    stats = result.operations["GET /users/{emailOrId}"]
    assert stats.cases == 4
    assert session.memo.hits == 2
    undeclared = [line for line in lines if "status_code_conformance" in line]
    assert len(undeclared) == 4
    assert session.violations == len(lines)


def test_fingerprints_tell_every_part_apart() -> None:
    base = fingerprint(_exchange(), (0, 0))
    assert base == fingerprint(_exchange(), (0, 0))
    assert base != fingerprint(_exchange(), (1, 0))  # the run learned a secret meanwhile
    assert base != fingerprint(_exchange(status=200), (0, 0))
    assert base != fingerprint(_exchange(body=b'{"message": "No"}'), (0, 0))
    other_path = _exchange()
    other_path.raw_path = b"/elements/api-v2/users/4"
    assert base != fingerprint(other_path, (0, 0))
    assert fingerprint(_exchange(body=b" " * (MEMO_BYTES + 1)), (0, 0)) is None
