"""Turn the multi-file contract of one API into one self-contained OpenAPI document.

Path item files are inlined under ``paths``; every file under ``components/<kind>/`` becomes the
named component ``#/components/<kind>/<file stem>`` and is referenced from there, so the bundle
keeps its structure (not dereferenced) and code generators get named types. The bundle remembers
where each part came from, so findings on the bundle point into the file a person edits.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import yaml

from generator.openapi.apis import api_dir, api_root, build_dir
from generator.openapi.files import write_atomically
from generator.openapi.findings import Finding, SpecError
from generator.openapi.walk import iter_schema_holders, iter_schema_roots, iter_schemas
from generator.openapi.yaml_source import (
    ParsedTexts,
    Pointer,
    SourceFile,
    YamlSourceError,
    load_yaml_file,
)
from generator.openapi.yaml_writer import yaml_text
from generator.perf import paused_gc

COMPONENT_KINDS = frozenset(
    {
        "schemas",
        "responses",
        "parameters",
        "examples",
        "requestBodies",
        "headers",
        "securitySchemes",
        "links",
        "callbacks",
        "pathItems",
    }
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_COMPONENT_NAME = re.compile(r"^[A-Za-z0-9._-]+$")
_CONTAINERS = (dict, list)  # a tuple: isinstance with it is faster than with dict | list


@dataclass
class Bundle:
    api_folder: Path
    document: dict[str, Any]
    sources: dict[Path, SourceFile]
    # Bundle pointer of each inlined or hoisted file -> (that file, pointer inside it).
    origins: dict[Pointer, tuple[Path, Pointer]] = field(default_factory=dict)
    _holders: list[tuple[Pointer, dict[str, Any]]] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _schemas: list[tuple[Pointer, dict[str, Any]]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    # Several lint rules read the same parts of the document: each walk is made once a bundle.
    def schema_holders(self) -> list[tuple[Pointer, dict[str, Any]]]:
        """``walk.iter_schema_holders`` of the document."""
        if self._holders is None:
            self._holders = list(iter_schema_holders(self.document))
        return self._holders

    def schemas(self) -> list[tuple[Pointer, dict[str, Any]]]:
        """Every schema and subschema of the document (``walk.iter_schemas`` of each root)."""
        if self._schemas is None:
            roots = iter_schema_roots(self.document, self.schema_holders())
            self._schemas = [found for at, root in roots for found in iter_schemas(root, at)]
        return self._schemas

    def locate(self, pointer: Pointer) -> tuple[Path, int, int]:
        """The source file, line and column of a node of the bundle."""
        for end in range(len(pointer), -1, -1):
            origin = self.origins.get(pointer[:end])
            if origin is not None:
                path, inner = origin
                line, col = self.sources[path].position((*inner, *pointer[end:]))
                return path, line, col
        return next(iter(self.sources)), 1, 1

    def finding(self, pointer: Pointer, rule: str, message: str) -> Finding:
        path, line, col = self.locate(pointer)
        return Finding(path, line, col, rule, message)


# A $ref's file: (resolved path, inside the API folder, is a file, its parts below the folder,
# its name without the suffix).
_Target = tuple[Path, bool, bool, tuple[str, ...], str]
# A $ref met by a rewrite: the node holding it, its pointer in its file, what it became.
_RefRewrite = tuple[dict[str, Any], Pointer, Any]


class _Bundler:
    def __init__(self, root: Path, folder: Path, parsed: ParsedTexts | None) -> None:
        self.root = root.resolve()
        self.folder = folder.resolve()
        self.parsed = parsed
        self.sources: dict[Path, SourceFile] = {}
        self.findings: list[Finding] = []
        self.components: dict[str, dict[str, Any]] = {}
        self.origins: dict[Pointer, tuple[Path, Pointer]] = {}
        self.in_progress: list[Path] = []
        self.folder_text = os.path.join(str(self.folder), "")  # with its trailing separator
        self.targets: dict[tuple[str, str], _Target] = {}
        self.real_dirs: dict[str, str] = {}
        self.paths: dict[str, Path] = {}
        # Each file's folder, worked out once per file.
        self.folders: dict[Path, str] = {}

    def run(self) -> Bundle:
        root_path = self.root
        root = self._load(root_path, None)
        if root is None:
            raise SpecError(self.findings)
        if not isinstance(root.data, dict):
            self.findings.append(
                Finding(root_path, 1, 1, "oas-structure", "the root file must be a mapping")
            )
            raise SpecError(self.findings)
        self.origins[()] = (root_path, ())
        self.in_progress.append(root_path)
        # Copied on the way to what changes: parts without refs are the parsed data itself.
        document = dict(self._rewrite(root.data, root, (), [], []))
        components = document.get("components", {})
        if self.components:
            components = document["components"] = dict(components)
        for kind in sorted(self.components):
            merged = components[kind] = dict(components.get(kind, {}))
            for name in sorted(self.components[kind]):
                merged.setdefault(name, self.components[kind][name])
        if "components" in document and not components:
            del document["components"]
        if self.findings:
            raise SpecError(sorted(set(self.findings)))
        return Bundle(self.folder, document, self.sources, self.origins)

    def _load(self, path: Path, referrer: tuple[SourceFile, Pointer] | None) -> SourceFile | None:
        if path in self.sources:
            return self.sources[path]
        try:
            source = load_yaml_file(path, self.parsed, map_positions=False)
        except YamlSourceError as error:
            if error.rule == "file-unreadable" and referrer is not None:
                self._report_at(referrer, "ref-unresolved", f"$ref target {path} {error.message}")
            else:
                self.findings.append(
                    Finding(path, error.line, error.col, error.rule, error.message)
                )
            return None
        self.sources[path] = source
        return source

    def _report_at(self, where: tuple[SourceFile, Pointer], rule: str, message: str) -> None:
        source, pointer = where
        line, col = source.position(pointer)
        self.findings.append(Finding(source.path, line, col, rule, message))

    def _rewrite(
        self,
        node: Any,
        source: SourceFile,
        target: Pointer,
        keys: list[str | int],
        refs: list[_RefRewrite],
    ) -> Any:
        """``node`` (at ``keys`` in ``source``, ``target`` + ``keys`` in the bundle) with its
        $refs rewritten: copied where a ref inside changes, else the parsed node itself (never
        mutated: it may be shared with other bundles of the same texts). The keys are one list,
        grown and shrunk on the way down and made into pointers only at a $ref; each $ref's
        rewrite is added to ``refs``."""
        # Scalars are returned as they are without a call of their own: most nodes are scalars.
        if isinstance(node, list):
            items = None
            for index, item in enumerate(node):
                if isinstance(item, _CONTAINERS):
                    keys.append(index)
                    rewritten = self._rewrite(item, source, target, keys, refs)
                    keys.pop()
                    if rewritten is not item:
                        if items is None:
                            items = list(node)
                        items[index] = rewritten
            return node if items is None else items
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str):
            pointer = tuple(keys)
            rewritten = self._rewrite_ref(node, ref, source, pointer, (*target, *pointer))
            refs.append((node, pointer, rewritten))
            return rewritten
        mapping = None
        for key, value in node.items():
            if isinstance(value, _CONTAINERS):
                keys.append(key)
                rewritten = self._rewrite(value, source, target, keys, refs)
                keys.pop()
                if rewritten is not value:
                    if mapping is None:
                        mapping = dict(node)
                    mapping[key] = rewritten
        return node if mapping is None else mapping

    def _target_file(self, directory: str, file_part: str) -> _Target:
        """The ``_Target`` of a ref's file, worked out once per referring folder and ref text.

        Many files refer to the same file (a shared error response): resolving symlinks and
        checking the file for each of those refs was most of the bundler's own time. The
        paths are worked on as strings (``os.path``): a ``Path`` is made once per file.
        """
        key = (directory, file_part)
        found = self.targets.get(key)
        if found is None:
            resolved, is_file = self._resolve_file(os.path.join(directory, file_part))
            folder = self.folder_text
            if resolved.startswith(folder):
                parts, inside = tuple(resolved[len(folder) :].split(os.sep)), True
            elif resolved == folder[:-1]:
                parts, inside = (), True
            else:
                parts, inside = (), False
            path = self.paths.get(resolved)
            if path is None:
                path = self.paths[resolved] = Path(resolved)
            name = os.path.basename(resolved)
            found = (path, inside, inside and is_file, parts, os.path.splitext(name)[0])
            self.targets[key] = found
        return found

    def _resolve_file(self, joined: str) -> tuple[str, bool]:
        """``os.path.realpath(joined)`` and whether it is a file, resolving each folder only
        once: the folders are few, the files thousands. A symlinked file is resolved in full."""
        parent, name = os.path.split(joined)
        if name in ("", ".", ".."):
            resolved = os.path.realpath(joined)
            return resolved, os.path.isfile(resolved)
        real_dir = self.real_dirs.get(parent)
        if real_dir is None:
            real_dir = self.real_dirs[parent] = os.path.realpath(parent)
        resolved = os.path.join(real_dir, name)
        try:
            mode = os.lstat(resolved).st_mode
        except OSError:
            return resolved, False
        if stat.S_ISLNK(mode):
            resolved = os.path.realpath(resolved)
            return resolved, os.path.isfile(resolved)
        return resolved, stat.S_ISREG(mode)

    def _rewrite_ref(
        self, node: dict[str, Any], ref: str, source: SourceFile, pointer: Pointer, target: Pointer
    ) -> Any:
        where = (source, (*pointer, "$ref"))
        if ref.startswith("#"):
            if source.path != self.root:
                self._report_at(
                    where,
                    "ref-layout",
                    f"local $ref {ref!r} in a non-root file; refer to a components file instead",
                )
            return dict(node)
        if _SCHEME.match(ref) or ref.startswith("//"):
            self._report_at(where, "ref-remote", f"remote $ref {ref!r} is not allowed")
            return dict(node)
        file_part, _, fragment = ref.partition("#")
        if fragment.strip("/"):
            self._report_at(
                where, "ref-layout", f"$ref {ref!r} points into a file; refer to a whole file"
            )
            return dict(node)
        directory = self.folders.get(source.path)
        if directory is None:
            directory = self.folders[source.path] = os.path.dirname(source.path)
        resolved, inside, is_file, parts, stem = self._target_file(directory, file_part)
        if not inside:
            self._report_at(
                where, "ref-outside", f"$ref {ref!r} leaves the API folder {self.folder.name}/"
            )
            return dict(node)
        if not is_file:
            self._report_at(where, "ref-unresolved", f"$ref {ref!r}: no such file")
            return dict(node)
        siblings = {key: value for key, value in node.items() if key != "$ref"}
        if len(parts) == 3 and parts[0] == "components" and parts[1] in COMPONENT_KINDS:
            kind, name = parts[1], stem
            if not _COMPONENT_NAME.match(name):
                self._report_at(where, "ref-layout", f"component file name {name!r} is not a name")
                return dict(node)
            if target == ("components", kind, name):
                return self._inline(resolved, where, target)
            self._hoist(resolved, kind, name, where)
            return {"$ref": f"#/components/{kind}/{name}", **siblings}
        if parts[0] == "paths" and len(target) == 2 and target[0] == "paths":
            return self._inline(resolved, where, target)
        self._report_at(
            where,
            "ref-layout",
            f"$ref {ref!r} must target a file under components/<kind>/ "
            "(or, from the root's paths, a file under paths/)",
        )
        return dict(node)

    def _cycle(self, path: Path, where: tuple[SourceFile, Pointer]) -> bool:
        if path not in self.in_progress:
            return False
        chain = [*self.in_progress[self.in_progress.index(path) :], path]
        shown = " -> ".join(str(p.relative_to(self.folder)) for p in chain)
        self._report_at(where, "ref-cycle", f"cyclic $ref: {shown}")
        return True

    def _inline(self, path: Path, where: tuple[SourceFile, Pointer], target: Pointer) -> Any:
        if self._cycle(path, where):
            return {}
        loaded = self._load(path, where)
        if loaded is None:
            return {}
        self.origins[target] = (path, ())
        self.in_progress.append(path)
        try:
            return self._rewritten(loaded, target)
        finally:
            self.in_progress.pop()

    def _rewritten(self, source: SourceFile, target: Pointer) -> Any:
        """``_rewrite`` of a whole file put at ``target``, or what an earlier bundle made of the
        same text there (the sides of a diff share most files, and this walk was most of the
        second side's time). Apart from its $refs, a rewrite follows from the data alone; a ref
        depends on the files around it, so each is rewritten again (which also hoists its
        target into this bundle), and the earlier result is taken only when every ref gives
        what it gave then and nothing is reported."""
        known = source.rewrites.get(target)
        if known is not None:
            result, known_refs = known
            reported = len(self.findings)
            if (
                all(
                    self._rewrite_ref(node, node["$ref"], source, at, (*target, *at)) == before
                    for node, at, before in known_refs
                )
                and len(self.findings) == reported
            ):
                return result
        reported = len(self.findings)
        refs: list[_RefRewrite] = []
        result = self._rewrite(source.data, source, target, [], refs)
        if len(self.findings) == reported:
            source.rewrites[target] = (result, refs)
        return result

    def _hoist(self, path: Path, kind: str, name: str, where: tuple[SourceFile, Pointer]) -> None:
        done = self.components.setdefault(kind, {})
        # A component already hoisted is not in progress (one file per name): no cycle to
        # look for in the chain of files being rewritten, which most refs would walk.
        if done.get(name) is not None or self._cycle(path, where) or name in done:
            return
        done[name] = None  # reserve the name while its own refs are rewritten
        done[name] = self._inline(path, where, ("components", kind, name))


def bundle_file(
    root: Path, folder: Path | None = None, parsed: ParsedTexts | None = None
) -> Bundle:
    """Bundle the contract whose root document is ``root``; raise SpecError with findings.

    ``parsed``: file texts already parsed (see ``load_yaml_file``), shared between bundles of
    versions of one contract."""
    with paused_gc():
        return _Bundler(root, folder if folder is not None else root.parent, parsed).run()


def load_bundle(api: str) -> Bundle:
    return bundle_file(api_root(api), api_dir(api))


def bundle_api(api: str) -> dict[str, Any]:
    """The bundled OpenAPI document of one API (see the module docstring)."""
    return load_bundle(api).document


class _NoAliasDumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def document_text(document: dict[str, Any], fmt: str) -> str:
    """A bundle as the text `usersapi bundle` writes: ``fmt`` "json", else YAML."""
    if fmt == "json":
        try:  # json's indented output is its pure-Python encoder: ten times slower
            return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"
        except TypeError:  # a key that is not a string, an integer past 64 bits
            return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    try:
        return yaml_text(document)
    except TypeError:  # a value that is not contract data (a date from yaml.safe_load): PyYAML
        return yaml.dump(
            document, Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True, width=100
        )


def dump_document(document: dict[str, Any], path: Path) -> None:
    """Write a bundle as JSON when the name ends in .json, else as YAML."""
    fmt = "json" if path.suffix.lower() == ".json" else "yaml"
    # Another process bundling the same API may be reading it.
    write_atomically(path, document_text(document, fmt).encode("utf-8"))


def default_bundle_path(api: str) -> Path:
    return build_dir() / "bundles" / f"{api}.yaml"
