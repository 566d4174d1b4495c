"""The changelog of one API: the diff between consecutive versions, newest first.

The versions are the releases of ``openapi/releases.yaml`` (oldest to newest) followed by the
working tree, or revisions the user names. The docs' Changes page renders the sections.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from generator.diff.findings import WHOLE_API, Change, grouped_by_operation
from generator.diff.releases import load_releases
from generator.diff.report import diff_sides
from generator.diff.sources import DiffInputError, Side, load_side
from generator.diff.stored_parses import StoredParses, default_pack


@dataclass(frozen=True)
class Point:
    """One version in the history: what to call it and where to load it from (None: working)."""

    label: str
    source: str | None


@dataclass
class OperationChanges:
    operation: str  # "GET /users", "Shared components", "" for the API as a whole
    operation_id: str
    changes: list[Change]


@dataclass
class ChangelogSection:
    title: str  # "3.0.0 (unreleased)", "2.0.0"
    since: str  # "since 2.0.0 (0676be4)"
    operations: list[OperationChanges] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(1 for group in self.operations for c in group.changes if c.severity == severity)


def release_points(api: str) -> list[Point]:
    releases = load_releases(api)
    return [Point(f"{r.version} ({r.commit[:7]})", r.commit) for r in reversed(releases)]


def revision_points(revisions: Sequence[str]) -> list[Point]:
    return [Point(revision, revision) for revision in revisions]


def changelog(
    api: str, points: Sequence[Point], *, working_tree: bool = True
) -> list[ChangelogSection]:
    """Sections for each pair of consecutive points (then the last one -> the working tree),
    newest first; the working tree's section only when it changed anything."""
    history = [*points, Point("working tree", None)] if working_tree else list(points)
    parsed = StoredParses(default_pack(api))
    sides = [load_side(api, point.source, point.label, parsed) for point in history]
    parsed.save()
    sections = []
    for index, (base, head) in enumerate(zip(sides, sides[1:], strict=False)):
        working = working_tree and index == len(sides) - 2
        changes = diff_sides(api, base, head).changes
        if working and not changes:
            continue
        sections.append(_section(base, head, changes, working))
    return sections[::-1]


def _section(base: Side, head: Side, changes: list[Change], working: bool) -> ChangelogSection:
    if working:
        title = f"{head.version} (unreleased)" if head.version != base.version else "Unreleased"
    elif head.version and head.version not in head.label:
        title = f"{head.version} ({head.label})"
    else:
        title = head.label
    section = ChangelogSection(title, f"since {base.label}")
    for heading, listed in grouped_by_operation(changes):
        operation_id = next((c.operation_id for c in listed if c.operation_id), "")
        operation = "" if heading == WHOLE_API else heading
        section.operations.append(OperationChanges(operation, operation_id, listed))
    return section


def site_changelogs(
    apis: Sequence[str], revisions: Sequence[str] = ()
) -> tuple[dict[str, list[ChangelogSection]], list[str]]:
    """Each API's changelog over its releases (or ``revisions``), and why any could not be made.

    A site is still worth rendering without a Changes page (a copy of the package without its
    git history), so a side that cannot be loaded is a problem to report, not an error.
    """
    changelogs, problems = {}, []
    for api in apis:
        try:
            points = revision_points(revisions) if revisions else release_points(api)
            changelogs[api] = changelog(api, points)
        except DiffInputError as error:
            problems.append(f"{api}: no Changes page: {error}")
    return changelogs, problems
