"""Command-line options of the contract suite (tests/contract): which server to test."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("usersapi contract suite")
    group.addoption("--base-url", help="test this live server instead of the reference server")
    group.addoption("--header", action="append", default=[], help="'Name: value' for every request")
    group.addoption(
        "--second-org-header", action="append", default=[], help="another organization's header"
    )
    group.addoption(
        "--account-id", action="append", type=int, default=[], help="an account the caller runs"
    )
    group.addoption("--api", help="the API behind --base-url: cloud-elements or tyk-dashboard")
