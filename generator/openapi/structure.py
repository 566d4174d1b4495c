"""Structural validation: OpenAPI 3.1 schema checks, and resolution with prance.

openapi-spec-validator runs on the bundle (whose origins map every node back to its source file),
so its findings carry the file and line a person edits. prance then resolves the source files the
way many code generators do, with network refs disabled, to prove the multi-file spec resolves.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast
from urllib.parse import ParseResult

from generator.openapi.bundle import Bundle
from generator.openapi.findings import Finding
from generator.openapi.oas_validator import SpecValidator
from generator.openapi.refs import UnresolvedRef, resolve_pointer
from generator.openapi.yaml_source import Pointer


def iter_local_refs(node: Any, pointer: Pointer = ()) -> Iterator[tuple[Pointer, str]]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield pointer, ref
        for key, value in node.items():
            yield from iter_local_refs(value, (*pointer, key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from iter_local_refs(item, (*pointer, index))


def unresolved_local_refs(bundle: Bundle) -> list[Finding]:
    findings = []
    for pointer, ref in iter_local_refs(bundle.document):
        if not ref.startswith("#"):
            continue
        try:
            resolve_pointer(bundle.document, ref)
        except UnresolvedRef:
            findings.append(
                bundle.finding((*pointer, "$ref"), "ref-unresolved", f"$ref {ref!r} points nowhere")
            )
    return findings


# Semantic checks the validator reports without a location; our lint rules report the same
# problems at the exact line, so these duplicates are dropped.
_COVERED_BY_LINT = ("Operation ID ", "Path parameter ")


def schema_errors(document: Any) -> Iterator[tuple[Pointer, str]]:
    """OpenAPI 3.1 structural errors of a document: where each is (a pointer) and what."""
    for error in SpecValidator(document).iter_errors():
        path = tuple(getattr(error, "absolute_path", ()) or ())
        message = str(getattr(error, "message", str(error)))
        yield _normalise(document, path), message.splitlines()[0]


def schema_findings(bundle: Bundle) -> list[Finding]:
    """OpenAPI 3.1 structural errors; run only once every local ref resolves."""
    findings = []
    try:
        for pointer, message in schema_errors(bundle.document):
            if not pointer and message.startswith(_COVERED_BY_LINT):
                continue
            findings.append(bundle.finding(pointer, "oas-schema", message))
    except Exception as error:  # noqa: BLE001 - a validator crash must become a finding
        findings.append(bundle.finding((), "oas-schema", f"openapi-spec-validator failed: {error}"))
    return findings


def _normalise(document: Any, path: tuple[Any, ...]) -> Pointer:
    """Map validator path parts (which may stringify or int-ify keys) back to the real keys."""
    pointer: list[str | int] = []
    node = document
    for part in path:
        if isinstance(node, dict):
            key = part if part in node else str(part)
            if key not in node:
                break
            pointer.append(key)
            node = node[key]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            pointer.append(part)
            node = node[part]
        else:
            break
    return tuple(pointer)


def prance_findings(bundle: Bundle) -> list[Finding]:
    """Resolve the source files with prance's resolver (files and internal refs, never HTTP).

    Validation itself is done once, on the bundle, by ``schema_findings``; this pass proves the
    multi-file layout resolves with the standard tool many code generators build on.
    """
    from prance.util.resolver import RESOLVE_FILES, RESOLVE_INTERNAL, RefResolver
    from prance.util.url import absurl, urlresource

    root_path, _ = bundle.origins[()]
    specs = bundle.sources[root_path].data
    # Hand prance the files we already parsed: its pure-Python YAML parser would otherwise
    # dominate the run (about 40 ms a file), and the safety checks were made on this data.
    cache = {
        (_file_url(path, absurl, urlresource), True): source.data
        for path, source in bundle.sources.items()
    }
    files = {path.as_posix() for path in bundle.sources}
    try:
        with _each_reference_located_once(files):
            resolver = RefResolver(
                specs,
                absurl(str(root_path)),
                resolve_types=RESOLVE_FILES | RESOLVE_INTERNAL,
                reference_cache=cache,
            )
            resolver.resolve_references()
    except Exception as error:  # noqa: BLE001 - any prance failure is a finding, never a traceback
        text = str(error).strip()
        first_line = text.splitlines()[0] if text else repr(error)
        return [bundle.finding((), "prance-resolve", first_line)]
    return []


# A path that urlparse leaves whole (no query, fragment, params or authority): its file URL is
# "file://" + the path, what prance's absurl makes of it through a dozen stat calls.
_PLAIN_PATH = re.compile(r"/(?!/)[^?#;]*")


def _file_url(path: Path, absurl: Any, urlresource: Any) -> str:
    """prance's cache key of a source file (a key prance did not expect only costs a re-read)."""
    posix = path.as_posix()
    if _PLAIN_PATH.fullmatch(posix):
        return "file://" + posix
    return str(urlresource(absurl(posix)))


@contextmanager
def _each_reference_located_once(files: set[str]) -> Iterator[None]:
    """prance turns each $ref into an absolute URL through the file system (stat, realpath) every
    time it meets it: 16,000 times at 5,000 operations, most of its run, for a few distinct
    (referring folder, $ref) pairs. During one resolution the answer cannot change, so it is
    computed once per pair; prance's own functions are put back afterwards.

    A relative file ref means the same from every file of one folder (prance joins it to the
    referring file's folder), so those are kept per folder; ``files`` are the source files,
    the only ones refs are made from. Any other ref is kept per referring file."""
    import prance.util.url as prance_url

    original_absurl = prance_url.absurl
    original_split = prance_url.split_url_reference
    absolute: dict[tuple[Any, ...], Any] = {}  # (url, relative_to) or (url, "folder", folder)
    located: dict[tuple[Any, str], tuple[Any, list[str]]] = {}

    def absurl_once(url: Any, relative_to: Any = None) -> Any:
        key: tuple[Any, ...] = (url, relative_to)
        found = absolute.get(key)
        if found is None:
            if _relative_file_ref(url) and _names_a_source(relative_to, files):
                key = (url, "folder", posixpath.dirname(relative_to.path))
                found = absolute.get(key)
            if found is None:
                found = absolute[key] = original_absurl(url, relative_to)
            absolute[(url, relative_to)] = found
        return found

    def split_once(base_url: Any, reference: str) -> tuple[Any, list[str]]:
        key = (base_url, reference)
        if key not in located:
            located[key] = original_split(base_url, reference)
        parsed, path = located[key]
        return parsed, list(path)  # a fresh list: the caller may change it

    prance_url.absurl = absurl_once
    prance_url.split_url_reference = split_once
    try:
        yield
    finally:
        prance_url.absurl = original_absurl
        prance_url.split_url_reference = original_split


def _relative_file_ref(url: Any) -> bool:
    """A ref made of a relative (or absolute) file path, with or without a fragment."""
    return (
        isinstance(url, str)
        and url[:1] not in ("", "#", "?")
        and ":" not in url
        and not url.startswith("//")
    )


def _names_a_source(relative_to: Any, files: set[str]) -> bool:
    return (
        isinstance(relative_to, tuple)
        and getattr(relative_to, "scheme", None) == "file"
        and not getattr(relative_to, "netloc", "")
        and cast(ParseResult, relative_to).path in files  # prance's parsed URL
    )
