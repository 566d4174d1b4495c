"""Bundle the sides of a diff reusing, for the files they have in common, the first side's walk.

The bundler walks every node of every file to find its $refs: a fifth of the time of bundling a
side whose files are already parsed. The sides of a diff share most files, and a file met again
(the same text, so the same parsed data: see ``ParsedTexts``) holds the same refs at the same
places. So each file's walk is recorded once, with the refs it met in order and what each
became, and the node it built. Met again, the file's refs are handed one by one to the bundler's
own ref handling, exactly as a walk would hand them, so the checks, the hoisted components, the
origins and any finding are those of a walk; when each ref becomes what it became before, the
node built before is the file's node (equal, and shared: bundles are never mutated, and the
diff's equality tests on shared nodes are immediate), else the file is walked anew.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.perf import paused_gc
from generator.spec.bundle import Bundle, _Bundler
from generator.spec.yaml_source import ParsedTexts, Pointer, SourceFile


@dataclass(slots=True)  # thousands of them: no dict each
class _Ref:
    node: dict[str, Any]
    ref: str
    pointer: Pointer  # inside the file
    became: Any  # what the bundler made of it


@dataclass(slots=True)
class _Walk:
    data: Any  # kept, so the id it is found by names this data and no other
    refs: list[_Ref]
    built: Any


class FileWalks(dict[int, _Walk]):
    """The walk of each parsed file's data (by its id), shared by the bundles of one diff."""


class _ReusingBundler(_Bundler):
    """The spec's bundler (its own checks and layout rules, nothing restated), its file walks
    recorded and replayed."""

    def __init__(
        self, root: Path, folder: Path, parsed: ParsedTexts | None, walks: FileWalks
    ) -> None:
        super().__init__(root, folder, parsed)
        self.walks = walks
        self.met: list[list[_Ref]] = []  # the refs met in each file being walked, innermost last

    def _rewrite(
        self, node: Any, source: SourceFile, target: Pointer, keys: list[str | int]
    ) -> Any:
        # A call with no keys is the walk of a whole file (from _inline). The root's is left
        # alone: its refs become the path items, so one changed path item would undo its replay.
        if keys or source.path == self.root:
            return super()._rewrite(node, source, target, keys)
        return self._walk(source, target)

    def _walk(self, loaded: SourceFile, target: Pointer) -> Any:
        known = self.walks.get(id(loaded.data))
        if known is not None and known.data is loaded.data:
            self.met.append([])
            try:
                same = all(
                    self._rewrite_ref(r.node, r.ref, loaded, r.pointer, (*target, *r.pointer))
                    == r.became
                    for r in known.refs
                )
            finally:
                self.met.pop()
            if same:
                return known.built
        self.met.append([])
        try:
            built = super()._rewrite(loaded.data, loaded, target, [])
        finally:
            refs = self.met.pop()
        if known is None:
            self.walks[id(loaded.data)] = _Walk(loaded.data, refs, built)
        return built

    def _rewrite_ref(
        self, node: dict[str, Any], ref: str, source: SourceFile, pointer: Pointer, target: Pointer
    ) -> Any:
        became = super()._rewrite_ref(node, ref, source, pointer, target)
        if self.met:
            self.met[-1].append(_Ref(node, ref, pointer, became))
        return became


def bundle_with_walks(
    root: Path, folder: Path, parsed: ParsedTexts | None, walks: FileWalks
) -> Bundle:
    """``bundle_file``, reusing (and adding to) ``walks``."""
    with paused_gc():
        return _ReusingBundler(root, folder, parsed, walks).run()
