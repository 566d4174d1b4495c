"""Paging walks read the largest page they may ask for from the contract, not from the code."""

from __future__ import annotations

import yaml

from generator.conformance.walks import largest_page
from generator.openapi.apis import spec_dir


def test_the_big_read_asks_for_the_contracts_maximum_page_size() -> None:
    path = spec_dir() / "cloud-elements" / "components" / "parameters" / "PageSize.yaml"
    page_size = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert largest_page("cloud-elements") == page_size["schema"]["maximum"]
    assert largest_page("tyk-dashboard") is None  # Tyk pages by number, with no page size
