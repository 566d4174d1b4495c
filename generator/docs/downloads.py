"""The bundled contract of each API, offered for download next to its pages.

The files hold the same bytes `usersapi bundle` writes (YAML, and JSON with ``-o x.json``), so
what a reader downloads to generate a client is exactly what the page documents. The version
(``info.version``) is in the file name: two downloads of different releases do not collide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from generator.openapi.bundle import document_text

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class ContractFiles:
    yaml: str  # file names, in the API's folder of the site
    json: str

    def items(self) -> list[tuple[str, str]]:
        """(format label, file name) in display order."""
        return [("YAML", self.yaml), ("JSON", self.json)]


def contract_files(slug: str, version: str) -> ContractFiles:
    """``cloud-elements-2.0.0.yaml`` / ``.json``; a version with odd characters is made safe."""
    cleaned = _UNSAFE.sub("-", version).strip("-.")
    stem = f"{slug}-{cleaned}" if cleaned else slug
    return ContractFiles(f"{stem}.yaml", f"{stem}.json")


def contract_texts(files: ContractFiles, document: dict[str, Any]) -> list[tuple[str, str]]:
    """(file name, text) of each download."""
    return [(name, document_text(document, label.lower())) for label, name in files.items()]
