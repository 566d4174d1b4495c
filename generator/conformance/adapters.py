"""The API adapters by name: the one place that knows which APIs the suite speaks."""

from __future__ import annotations

from . import cloud_elements, tyk
from .api_adapter import ApiAdapter

ADAPTERS: dict[str, ApiAdapter] = {
    adapter.profile.name: adapter for adapter in (cloud_elements.ADAPTER, tyk.ADAPTER)
}


def adapter_for(api: str) -> ApiAdapter:
    return ADAPTERS[api]
