"""A listening address as a URL: an IPv6 host goes in brackets, or its port reads as part of it."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from generator.addresses import host_port, http_origin


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", "http://127.0.0.1:8090"),
        ("localhost", "http://localhost:8090"),
        ("::1", "http://[::1]:8090"),
        ("::", "http://[::]:8090"),
        ("fe80::1%eth0", "http://[fe80::1%eth0]:8090"),
    ],
)
def test_origin_names_host_and_port(host: str, expected: str) -> None:
    assert http_origin(host, 8090) == expected
    parts = urlsplit(expected)
    assert parts.port == 8090 and parts.hostname == host.lower()
    assert host_port(host, 8090) == expected.removeprefix("http://")
