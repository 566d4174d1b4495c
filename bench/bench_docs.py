"""Docs renderer: time and page weight for the real contracts and synthetic ones of 100, 1,000
and 5,000 operations, next to Redocly's ``build-docs`` on the same bundles when npx exists.

Run: ``.venv/bin/python bench/bench_docs.py [--no-redoc] [--cached-redoc] [--sizes 100,1000]``.
Bundles and outputs go to build/bench/docs. Each contract is bundled once, as JSON
(``usersapi bundle -o X.json``), and both tools are given that file, each as a whole command
as a user runs it: ``usersapi docs --bundle X.json -o DIR`` and ``redocly build-docs X.json -o
FILE``, from process start to exit (start, imports, reading and parsing the bundle, rendering,
writing). JSON, because both then read it with a JSON parser: Redocly's whole process costs
about as much on the YAML bundle (2.2-2.4 s of CPU at 5,000 operations), while our YAML loader
alone would take 2.8 s, more than all the rest of ours.

Redocly runs on every bundle in the same run (as `make bench` does); ``--cached-redoc`` reuses
its output while the bundle's bytes are unchanged (with the run time measured then), for quick
iterations on our side only. At 5,000 operations, the size the goal is stated at, both
commands then run again in interleaved rounds (bench/rounds.py), and the goal is judged on
their wall-clock medians: our whole process no slower than Redocly's (``--no-redoc`` leaves
the goal out). Printed beside, not judged: our render alone (render_site's own clock, as
``usersapi docs`` prints it: no start, imports or parse) and the CPU seconds of each whole
process and its children (the steadier figure on a shared machine; Redocly uses more than one
core).

Large APIs are split into pages (generator/docs/pages.py), so the figure that matters is the
heaviest page: its HTML plus the CSS and JS it loads (the search index is loaded only when the
search box is used; its size is shown apart). A second table splits that page into its parts.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import goals  # noqa: E402
from node_tools import NPM_PREFIX, node_tool  # noqa: E402
from rounds import ROUNDS, Figure, Run, interleave, timed_run  # noqa: E402
from servers import BIN, end_on_sigterm  # noqa: E402
from synthetic import write_synthetic_spec  # noqa: E402

from generator.openapi.apis import API_NAMES, build_dir  # noqa: E402
from generator.openapi.bundle import bundle_api, bundle_file, dump_document  # noqa: E402

SIZES = (100, 1_000, 5_000)
GOAL_LABEL = "synthetic-5000"  # the size the goal is stated at: rerun in interleaved rounds
HEAVY_LIMIT_PERCENT = 40  # issue 15: the heaviest page stays under this share of Redoc's
OUT = build_dir() / "bench" / "docs"
USERSAPI = BIN / "usersapi"


def _operations(document: dict[str, Any]) -> int:
    methods = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
    return sum(len(methods & set(item)) for item in document.get("paths", {}).values())


def _gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


class _Assets(HTMLParser):
    """The stylesheets, scripts and icon a page loads with it."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and names.get("src"):
            self.found.append(str(names["src"]))
        elif tag == "link" and names.get("rel") in ("stylesheet", "icon") and names.get("href"):
            self.found.append(str(names["href"]))


def _page_weight(page: Path) -> tuple[int, int]:
    """(bytes, gzipped bytes) of a page and the assets it loads at page load."""
    parser = _Assets()
    parser.feed(page.read_text(encoding="utf-8"))
    files = [page, *{(page.parent / src).resolve() for src in parser.found}]
    return sum(p.stat().st_size for p in files), sum(_gz(p) for p in files)


def _heaviest(site: Path, api: str) -> tuple[Path, int, int]:
    """The API's heaviest page: (path, weight, gzipped weight)."""
    weights = [(page, *_page_weight(page)) for page in sorted((site / api).glob("*.html"))]
    return max(weights, key=lambda item: item[1])


def _redocly() -> list[str] | None:
    return node_tool("redocly")


def _redoc_standalone() -> tuple[int, int]:
    """Redoc pages load redoc.standalone.js from a CDN; count the copy shipped with the CLI."""
    found = sorted(NPM_PREFIX.glob("node_modules/@redocly/cli/lib/**/redoc.standalone.js"))
    return (found[0].stat().st_size, _gz(found[0])) if found else (0, 0)


def _cached_redoc(
    command: list[str], bundle: Path, out: Path, fresh: bool
) -> tuple[float, int] | None:
    """Redocly's (seconds, HTML bytes) for ``bundle``, rerun only when the bundle changed."""
    digest = hashlib.sha256(bundle.read_bytes()).hexdigest()
    record = out.with_suffix(".json")
    if not fresh and out.exists() and record.exists():
        cached = json.loads(record.read_text(encoding="utf-8"))
        if cached.get("sha256") == digest:
            return float(cached["seconds"]), out.stat().st_size
    run = _run_redoc(command, bundle, out)
    if run is None:
        return None
    record.write_text(json.dumps({"sha256": digest, "seconds": run.wall_s}), encoding="utf-8")
    return run.wall_s, out.stat().st_size


def _run_redoc(command: list[str], bundle: Path, out: Path) -> Run | None:
    """`redocly build-docs` on ``bundle`` into ``out``; None (and why, printed) when it fails."""
    run = timed_run([*command, "build-docs", str(bundle), "-o", str(out)], timeout=1800)
    if run.returncode != 0 or not out.exists():
        error = run.stderr.decode(errors="replace").strip()[-300:]
        print(f"  redocly failed on {bundle.name}: {error}")
        return None
    return run


# Parts of an API page, by the opening tag of the element that holds each; the rest is "other".
_PARTS = (
    ("samples", '<aside class="op-aside"'),
    ("examples", '<details class="example"'),
    ("op schemas", '<div class="schema-root"'),
    ("schemas", '<section class="schemas"'),
    ("sidebar", '<nav class="sidebar"'),
)
_TAG = re.compile(r"<(/?)([a-z0-9]+)[\s>]")


def _element_end(html: str, start: int) -> int:
    """The end of the element opened at ``start``: its balanced closing tag of the same name."""
    name = _TAG.match(html, start)
    assert name is not None
    depth = 0
    for match in _TAG.finditer(html, start):
        if match.group(2) != name.group(2):
            continue
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return html.index(">", match.start()) + 1
    return len(html)


def _composition(page: Path) -> dict[str, int]:
    """Bytes of each part of a page (outermost elements only), "other" for the rest."""
    html = page.read_text(encoding="utf-8")
    parts: dict[str, int] = {}
    for part, opening in _PARTS:
        total, position = 0, html.find(opening)
        while position >= 0:
            end = _element_end(html, position)
            total += len(html[position:end].encode("utf-8"))
            position = html.find(opening, end)
        parts[part] = total
    parts["other"] = len(html.encode("utf-8")) - sum(parts.values())
    return parts


def _sizes(argv: list[str]) -> tuple[int, ...]:
    if "--sizes" in argv:
        return tuple(int(n) for n in argv[argv.index("--sizes") + 1].split(","))
    return SIZES


def _bundles(sizes: tuple[int, ...]) -> list[tuple[str, dict[str, Any]]]:
    found = [(name, bundle_api(name)) for name in API_NAMES]
    for size in sizes:
        folder = OUT / "contracts" / f"synthetic-{size}"
        root = write_synthetic_spec(folder, size)
        found.append((f"synthetic-{size}", bundle_file(root, folder).document))
    return found


@dataclass(frozen=True)
class OurRun:
    """One ``usersapi docs --bundle`` process: its run, and what it printed of its render."""

    run: Run
    render_s: float  # render_site's own clock
    pages: int
    kib: int


_SITE_LINE = re.compile(rb"docs: (\d+) pages, (\d+) KiB in ([0-9.]+) s")


def _our_docs(bundle: Path, site: Path) -> OurRun:
    """``usersapi docs --bundle BUNDLE -o SITE`` from start to exit, into a fresh folder; the
    API's pages go to ``site / bundle.stem``."""
    shutil.rmtree(site, ignore_errors=True)
    run = timed_run([str(USERSAPI), "docs", "--bundle", str(bundle), "-o", str(site)])
    found = _SITE_LINE.search(run.stdout)
    if run.returncode != 0 or found is None:
        raise SystemExit(f"usersapi docs --bundle {bundle} exited {run.returncode}")
    pages, kib, seconds = found.groups()
    return OurRun(run, float(seconds), int(pages), int(kib))


def main(argv: list[str]) -> int:
    end_on_sigterm()
    OUT.mkdir(parents=True, exist_ok=True)
    redoc = None if "--no-redoc" in argv else _redocly()
    standalone, standalone_gz = _redoc_standalone() if redoc else (0, 0)
    rows, compositions = [], []
    goal_figures: dict[str, Figure] = {}
    for label, document in _bundles(_sizes(argv)):
        bundle = OUT / f"{label}.json"  # the one input of both tools
        dump_document(document, bundle)
        site = OUT / f"site-{label}"
        ours = _our_docs(bundle, site)
        page, heaviest, heaviest_gz = _heaviest(site, label)
        compositions.append((f"{label} {page.name}", page.stat().st_size, _composition(page)))
        search = (site / "assets" / f"search-{label}.js").stat().st_size
        redoc_html = OUT / f"redoc-{label}.html"
        redoc_result = (
            _cached_redoc(redoc, bundle, redoc_html, fresh="--cached-redoc" not in argv)
            if redoc
            else None
        )
        redoc_gz = _gz(redoc_html) + standalone_gz if redoc_result else 0
        if label == GOAL_LABEL and redoc:
            goal_figures = _goal_rounds(redoc, bundle)
        rows.append(
            (label, _operations(document), ours, (heaviest, heaviest_gz), search)
            + (redoc_result, redoc_gz)
        )
    print()
    header = (
        f"{'spec':<16}{'ops':>6}{'ours s':>8}{'render s':>9}{'ms/op':>7}{'pages':>6}{'site KB':>9}"
        f"{'heavy KB':>9}{'gz KB':>7}{'search KB':>10}{'redoc s':>8}{'redoc KB':>9}"
        f"{'gz KB':>7}{'time %':>7}{'heavy %':>8}{'gz %':>6}"
    )
    print(header)
    print("-" * len(header))
    ratios = []
    for label, ops, ours, (heavy, heavy_gz), search, redoc_result, redoc_gz in rows:
        seconds = ours.run.wall_s
        line = f"{label:<16}{ops:>6}{seconds:>8.2f}{ours.render_s:>9.2f}"
        line += f"{1000 * ours.render_s / max(ops, 1):>7.2f}{ours.pages - 1:>6}{ours.kib:>9}"
        line += f"{heavy / 1024:>9.0f}{heavy_gz / 1024:>7.0f}{search / 1024:>10.0f}"
        if redoc_result:
            redoc_s, redoc_bytes = redoc_result
            redoc_weight = redoc_bytes + standalone
            line += f"{redoc_s:>8.2f}{redoc_weight / 1024:>9.0f}{redoc_gz / 1024:>7.0f}"
            line += f"{100 * seconds / redoc_s:>6.0f}%"
            line += f"{100 * heavy / redoc_weight:>7.0f}%{100 * heavy_gz / redoc_gz:>5.0f}%"
            ratios.append((100 * heavy / redoc_weight, label))
        print(line)
    if ratios:
        worst, label = max(ratios)
        verdict = "under" if worst < HEAVY_LIMIT_PERCENT else "OVER"
        print(f"\nheaviest page vs Redoc: {worst:.1f}% ({label}), {verdict} {HEAVY_LIMIT_PERCENT}%")
    print()
    print("ours s: `usersapi docs --bundle X.json` wall time, the whole process (one run);")
    print("render s: its render alone (render_site's own clock), and ms/op of it; pages: the")
    print("API's pages; site KB: every file written (the contract downloads, YAML and JSON).")
    print("heavy: the API's heaviest page as a browser loads it (HTML, CSS, JS, icon; gz -6);")
    print("search KB: the search index, loaded only when the search box is first used.")
    if redoc:
        print(f"redoc KB: build-docs HTML + redoc.standalone.js ({standalone / 1024:.0f} KB, which")
        print("that HTML loads from a CDN); heavy % and gz % = our heaviest page / Redoc's page;")
        print("time % = ours s / redoc s: both whole processes on the same JSON bundle, one run")
        print("each (the goal's figures below are medians of interleaved rounds).")
    else:
        print("redocly not available (no npm/npx or --no-redoc): Redoc columns left out.")
    _print_compositions(compositions)
    _goals(goal_figures)
    return 0


def _goal_rounds(redoc: list[str], bundle: Path) -> dict[str, Figure]:
    """``usersapi docs --bundle`` and ``redocly build-docs`` on the same JSON bundle, each a
    whole process, in interleaved rounds: wall seconds by contender (the goal), and beside
    them (``BESIDE``) our render's own clock and each process's CPU seconds."""
    site, redoc_html = OUT / f"site-{GOAL_LABEL}-rounds", OUT / f"redoc-{GOAL_LABEL}-rounds.html"
    beside: dict[str, list[float]] = {label: [] for label in BESIDE}

    def ours() -> float:
        found = _our_docs(bundle, site)
        beside["ours render"].append(found.render_s)
        beside[f"cpu {OURS}"].append(found.run.cpu_s)
        return found.run.wall_s

    def theirs() -> float:
        run = _run_redoc(redoc, bundle, redoc_html)
        if run is None:
            raise SystemExit("redocly build-docs failed")
        beside[f"cpu {THEIRS}"].append(run.cpu_s)
        return run.wall_s

    size = bundle.stat().st_size / 1024 / 1024
    print(f"\n{GOAL_LABEL}: {ROUNDS} interleaved rounds of {OURS} and {THEIRS} on {bundle.name}")
    print(f"({size:.1f} MB), each a whole process: start, read, render, write")
    figures = interleave({OURS: ours, THEIRS: theirs})
    return figures | {label: Figure(tuple(values)) for label, values in beside.items()}


OURS, THEIRS = "usersapi docs", "redocly build-docs"
# Beside the wall seconds the goal is judged on: our render alone (render_site's own clock, no
# start, imports or parse), and the CPU seconds of each whole process and its children (Redocly
# uses more than one core; on a loaded machine, CPU tells what wall time cannot).
BESIDE = ("ours render", f"cpu {OURS}", f"cpu {THEIRS}")


def _goals(figures: dict[str, Figure]) -> None:
    if not figures:
        goals.print_own([])
        return
    ours, theirs = figures[OURS], figures[THEIRS]
    print(f"\n{GOAL_LABEL}, whole process wall s, median (min-max):")
    print(f"  {OURS} --bundle {ours.spread()}, {THEIRS} {theirs.spread()}")
    print("beside it, not judged, median (min-max):")
    print(f"  our render alone (render_site's clock) {figures['ours render'].spread()} s")
    cpu = (f"{label} {figures[f'cpu {label}'].spread()}" for label in (OURS, THEIRS))
    print(f"  CPU s of each whole process: {', '.join(cpu)}")
    ratio = ours.median / theirs.median
    found = goals.record(
        "docs",
        f"docs at {GOAL_LABEL} (JSON): {OURS} <= {THEIRS}, whole process",
        f"{ours.median:.2f} s vs {theirs.median:.2f} s ({ratio:.0%})",
        ratio <= 1,
    )
    goals.print_own([found])


def _print_compositions(compositions: list[tuple[str, int, dict[str, int]]]) -> None:
    names = [part for part, _opening in _PARTS] + ["other"]
    print()
    header = f"{'heaviest page, KB (%)':<36}" + "".join(f"{name:>15}" for name in names)
    print(header)
    print("-" * len(header))
    for label, page, parts in compositions:
        cells = "".join(
            f"{parts[name] / 1024:>9.0f} ({100 * parts[name] / page:>2.0f}%)" for name in names
        )
        print(f"{label:<36}{cells}")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
