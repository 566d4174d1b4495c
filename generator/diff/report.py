"""One diff of one API, from the names of its sides to the verdict of the gate."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.diff.allow import apply_allow, load_allow
from generator.diff.engine import compare, ordered
from generator.diff.findings import Change
from generator.diff.releases import last_release
from generator.diff.sources import Side, load_side
from generator.diff.stored_parses import StoredParses, default_pack
from generator.diff.versioning import check_version
from generator.perf import paused_gc


@dataclass
class DiffResult:
    api: str
    base: Side
    head: Side
    changes: list[Change]

    @property
    def failing(self) -> list[Change]:
        return [c for c in self.changes if c.failing]

    def count(self, severity: str) -> int:
        return sum(1 for c in self.changes if c.severity == severity)


def diff_sides(api: str, base: Side, head: Side, allow: Path | None = None) -> DiffResult:
    changes = compare(base, head)
    if allow is not None:
        changes = apply_allow(changes, load_allow(allow, api))
    return DiffResult(api, base, head, ordered(check_version(base, head, changes)))


def run_diff(
    api: str, base: str | None, head: str | None = None, allow: Path | None = None
) -> DiffResult:
    """``base``/``head``: a git revision or a bundled file; base None: the last release, head
    None: the working tree."""
    label = ""
    if base is None:
        release = last_release(api)
        base, label = release.commit, f"release {release.version} ({release.commit[:7]})"
    parsed = StoredParses(default_pack(api))
    # Two big acyclic graphs: one collection at the end, not one per side (none in the CLI).
    with paused_gc(keep_to_exit=True):
        base_side = load_side(api, base, label, parsed)
        head_side = load_side(api, head, parsed=parsed)
        parsed.save()
        return diff_sides(api, base_side, head_side, allow)
