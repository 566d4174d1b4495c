"""Shared test settings: the contract suite's options come from the usersapi pytest plugin
(`generator/conformance/pytest_plugin.py`, loaded through its `pytest11` entry point)."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files holding a `slow` test run first, in collection order otherwise.

    `make test` spreads whole files over two workers (pytest-xdist, --dist loadfile): a long
    file started last would leave one worker running it alone at the end.
    """
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_files)
