"""``info.version``: breaking changes need a major bump, any other change some bump.

A major bump accepts the breaking changes it announces: they stay listed, but fail nothing.
"""

from __future__ import annotations

import re

from generator.diff.context import At, DiffContext, Scope
from generator.diff.findings import Change
from generator.diff.sources import Side

_MAJOR = re.compile(r"^v?(\d+)(?:\.|$)")


def major(version: str) -> int | None:
    found = _MAJOR.match(version.strip())
    return int(found.group(1)) if found else None


def check_version(base: Side, head: Side, changes: list[Change]) -> list[Change]:
    """``changes`` (allow file already applied) with the version's verdict on them."""
    if not changes:
        return changes
    before, after = base.version, head.version
    base_major, head_major = major(before), major(after)
    if base_major is not None and head_major is not None and head_major > base_major:
        reason = f"major version bump {before} -> {after}"
        return [c.accepted(reason) if c.failing else c for c in changes]
    ctx = DiffContext(base, head)
    pointer = ("info", "version")
    at = At(pointer, pointer, pointer)
    failing = sum(1 for c in changes if c.failing)
    if failing:
        ctx.emit(
            "breaking-change-without-major-version-bump",
            "breaking",
            f"{failing} breaking change(s), but info.version {before} -> {after} is no major bump",
            Scope(),
            at,
        )
    elif before == after:
        ctx.emit(
            "change-without-version-bump",
            "warning",
            f"the contract changed but info.version is still {after}",
            Scope(),
            at,
        )
    return [*ctx.changes, *changes]
