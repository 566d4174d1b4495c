"""Parsed contract files kept under ``build/`` from one diff to the next, by git blob id.

A diff parses every file of both sides, and parsing is most of its time; the releases it is run
against do not change, and most files of the working tree do not either. So the data parsed
from each file text is kept in a pack per API, ``build/cache/diff-parses-<api>-<format>.marshal``,
keyed by the text's blob id (what ``git hash-object`` gives for it). A text found there is not
parsed again; its line map is made from the text when a change is located in it, as for any
file.

A pack holds only what the API's last diff (or changelog) read: it does not grow with history.
Its name carries a digest of the loader and of the Python and PyYAML versions, so a change to
how files are read never meets data read the old way; a pack that cannot be read is ignored.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from pathlib import Path
from typing import Any

import yaml

import generator.openapi.yaml_source as yaml_source
from generator.openapi.apis import build_dir
from generator.openapi.files import write_atomically
from generator.openapi.yaml_source import SourceFile

_MISSING = object()


def blob_id(text: str) -> str:
    data = text.encode("utf-8")
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _format() -> str:
    loader = Path(yaml_source.__file__).read_bytes()
    versions = f"{sys.version}|{marshal.version}|{yaml.__version__}".encode()
    return hashlib.sha1(loader + versions).hexdigest()[:12]


def default_pack(api: str) -> Path:
    return build_dir() / "cache" / f"diff-parses-{api}-{_format()}.marshal"


class StoredParses(dict[str, SourceFile]):
    """A ``ParsedTexts`` (file text -> its parse) that also finds the texts of the pack."""

    def __init__(self, pack: Path) -> None:
        super().__init__()
        self.pack = pack
        self.stored = _read(self.pack)

    def get(self, text: str, default: Any = None) -> Any:  # type: ignore[override]
        found = super().get(text)
        if found is not None:
            return found
        if not self.stored:  # a cold run: no id to work out for each text it parses
            return default
        data = self.stored.get(blob_id(text), _MISSING)
        if data is _MISSING:
            return default
        found = self[text] = SourceFile(Path(), data, None, text)
        return found

    def save(self) -> None:
        """Write the pack with the texts this run read (nothing when they were all in it)."""
        pack = {blob_id(text): source.data for text, source in self.items()}
        if pack.keys() == self.stored.keys():
            return
        try:
            write_atomically(self.pack, marshal.dumps(pack))
        except (OSError, ValueError):  # a read-only checkout, or a value marshal cannot keep
            return


def _read(pack: Path) -> dict[str, Any]:
    try:
        stored = marshal.loads(pack.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return stored if isinstance(stored, dict) else {}
