"""The two sides of a diff: a git revision of this repository, a bundled file, the working tree.

A revision is bundled exactly like the working tree: its ``openapi/<api>/`` folder is exported
with ``git archive`` into a temporary folder and run through the same bundler, so every part of
it keeps the file and line it came from (shown relative to the repository).
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.openapi.apis import ROOT_FILE, api_dir, spec_dir
from generator.openapi.bundle import Bundle, bundle_file
from generator.openapi.bundled_file import not_openapi_3
from generator.openapi.findings import SpecError
from generator.openapi.yaml_source import ParsedTexts, Pointer, YamlSourceError, load_yaml_file

WORKING_TREE = "working tree"


class DiffInputError(Exception):
    """A side of the diff that cannot be loaded: one clear message, exit 2."""


@dataclass
class Side:
    label: str  # what the user named: a revision, a file, "working tree"
    bundle: Bundle
    base_dir: Path  # source paths are shown relative to this folder
    file_label: str = ""  # a bundled file is shown as the user named it

    @property
    def document(self) -> dict[str, Any]:
        return self.bundle.document

    @property
    def version(self) -> str:
        info = self.document.get("info")
        return str(info.get("version", "")) if isinstance(info, dict) else ""

    def locate(self, pointer: Pointer) -> tuple[str, int]:
        path, line, _ = self.bundle.locate(pointer)
        if self.file_label:
            return self.file_label, line
        try:
            return Path(os.path.relpath(path, self.base_dir)).as_posix(), line
        except ValueError:  # another drive on Windows
            return path.as_posix(), line


def load_side(
    api: str, source: str | None, label: str = "", parsed: ParsedTexts | None = None
) -> Side:
    """``source``: None for the working tree, an existing file, else a git revision.

    ``parsed``: the files already parsed for another side (pass one dict to every side of a
    diff or changelog: the versions share most files, and each is then parsed once)."""
    if source is None:
        side = _working_tree(api, parsed)
    elif Path(source).is_file():
        side = _bundled_file(Path(source), parsed)
    else:
        side = _revision(api, source, parsed)
    side.label = label or side.label
    return side


def folder_side(
    folder: Path, label: str, shown_from: Path, parsed: ParsedTexts | None = None
) -> Side:
    """The multi-file contract in ``folder``, its sources shown relative to ``shown_from``."""
    return Side(label, _bundle(folder / ROOT_FILE, folder, label, parsed), shown_from)


def _working_tree(api: str, parsed: ParsedTexts | None) -> Side:
    shown_from = _repository() or spec_dir().parent  # paths as in the repository: openapi/<api>/…
    return folder_side(api_dir(api), WORKING_TREE, shown_from, parsed)


def _bundle(root: Path, folder: Path, label: str, parsed: ParsedTexts | None) -> Bundle:
    try:
        return bundle_file(root, folder, parsed)
    except SpecError as error:
        first = error.findings[0]
        raise DiffInputError(
            f"{label}: the contract does not bundle: {first.file.name}:{first.line}: "
            f"{first.rule}: {first.message}"
        ) from None


def _bundled_file(path: Path, parsed: ParsedTexts | None) -> Side:
    try:
        source = load_yaml_file(path, parsed)
    except YamlSourceError as error:
        raise DiffInputError(f"{path}:{error.line}: not an OpenAPI file: {error.message}") from None
    data = source.data
    problem = not_openapi_3(data)
    if problem is not None:
        raise DiffInputError(f"{path}: not an OpenAPI 3 document ({problem})")
    resolved = path.resolve()
    source.path = resolved
    bundle = Bundle(resolved.parent, data, {resolved: source}, {(): (resolved, ())})
    return Side(str(path), bundle, Path.cwd(), file_label=str(path))


def _git(*args: str, cwd: Path, binary: bool = False) -> subprocess.CompletedProcess[Any]:
    where = cwd or _repository_or_fail()
    try:
        return subprocess.run(
            ["git", "-C", str(where), *args], capture_output=True, text=not binary
        )
    except FileNotFoundError:
        raise DiffInputError("git is not installed; give the base as a bundled file") from None


def _repository() -> Path | None:
    """The git checkout holding the contract, if it is in one."""
    try:
        found = _git("rev-parse", "--show-toplevel", cwd=spec_dir())
    except DiffInputError:
        return None
    return Path(found.stdout.strip()).resolve() if found.returncode == 0 else None


def _repository_or_fail() -> Path:
    repository = _repository()
    if repository is None:
        raise DiffInputError(
            f"the contract ({spec_dir()}) is not in a git repository: give bundled files"
        )
    return repository


def _revision(api: str, revision: str, parsed: ParsedTexts | None) -> Side:
    if revision.startswith("-"):
        raise DiffInputError(f"{revision!r} is neither a file nor a git revision")
    repository = _repository_or_fail()
    found = _git("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}", cwd=repository)
    if found.returncode != 0:
        raise DiffInputError(
            f"{revision!r} is neither a file nor a git revision of {repository}"
            " (in a shallow clone, fetch the history first: git fetch --unshallow)"
        )
    commit = found.stdout.strip()
    folder = _folder_in_git(api, repository)
    if _git("cat-file", "-e", f"{commit}:{folder}/{ROOT_FILE}", cwd=repository).returncode:
        raise DiffInputError(f"revision {revision}: has no {folder}/{ROOT_FILE} (no API {api})")
    archive = _git("archive", "--format=tar", commit, "--", folder, cwd=repository, binary=True)
    if archive.returncode != 0:
        message = archive.stderr.decode("utf-8", "replace").strip()
        raise DiffInputError(f"revision {revision}: git archive failed: {message}")
    with tempfile.TemporaryDirectory(prefix="usersapi-diff-") as temp:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(temp, filter="data")
        exported = Path(temp).resolve()
        # The bundle keeps everything it read in memory: the folder may go once it is built.
        bundle = _bundle(
            exported / folder / ROOT_FILE, exported / folder, f"revision {revision}", parsed
        )
    return Side(revision, bundle, exported)


def _folder_in_git(api: str, repository: Path) -> str:
    """Where the API's folder is inside the repository (``openapi/<api>``)."""
    try:
        return api_dir(api).resolve().relative_to(repository).as_posix()
    except ValueError:
        return f"openapi/{api}"
