"""How a release is marked: ``openapi/releases.yaml`` lists each API's versions and commits.

A tracked file rather than git tags: a CI checkout may carry no tags, and a file is reviewed
with the change that makes the release.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.diff.sources import DiffInputError
from generator.openapi.apis import spec_dir
from generator.openapi.yaml_source import YamlSourceError, load_yaml_file

RELEASES_FILE = "releases.yaml"


@dataclass(frozen=True)
class Release:
    version: str
    commit: str


def releases_path() -> Path:
    return spec_dir() / RELEASES_FILE


def load_releases(api: str, path: Path | None = None) -> list[Release]:
    """The releases of ``api``, newest first (empty when it has none yet)."""
    path = path or releases_path()
    try:
        data = load_yaml_file(path).data
    except YamlSourceError as error:
        raise DiffInputError(f"{path}:{error.line}: {error.message}") from None
    entries = data.get(api, []) if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise DiffInputError(f"{path}: expected '{api}:' with a list of version/commit entries")
    releases = []
    for entry in entries:
        if not isinstance(entry, dict) or not entry.get("version") or not entry.get("commit"):
            raise DiffInputError(f"{path}: each release of {api} needs a version and a commit")
        releases.append(Release(str(entry["version"]), str(entry["commit"])))
    return releases


def last_release(api: str) -> Release:
    releases = load_releases(api)
    if not releases:
        raise DiffInputError(f"{releases_path()}: {api} has no release yet; give --base")
    return releases[0]
