"""What each API's root document says about itself (``info``), read without bundling."""

from __future__ import annotations

from generator.openapi.apis import api_root
from generator.openapi.yaml_source import YamlSourceError, load_yaml_file


def info_version(api: str) -> str:
    """The contract's own ``info.version``, or why it cannot be read (for ``--version``)."""
    root = api_root(api)
    try:
        data = load_yaml_file(root).data
    except YamlSourceError as error:
        return f"unreadable ({root}:{error.line}:{error.col}: {error.message})"
    info = data.get("info") if isinstance(data, dict) else None
    version = info.get("version") if isinstance(info, dict) else None
    return str(version) if version is not None else f"no info.version in {root}"
