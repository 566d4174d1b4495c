"""One docs render in a process of its own, as `usersapi docs` renders: nothing is cached from
an earlier render (the highlighter and Markdown caches are per process), so a round of the
docs goal measures what a user waits for, as Redocly's rounds do (a process each).

Run: ``.venv/bin/python bench/render_once.py BUNDLE SLUG OUT``; prints render_site's seconds
(loading the bundle is not timed).
"""

from __future__ import annotations

import sys
from pathlib import Path

from generator.docs import render_site
from generator.openapi.yaml_source import parse_yaml_text


def main(bundle: str, slug: str, out: str) -> None:
    path = Path(bundle)  # a bundle is over the size limit of a contract's source file
    document = parse_yaml_text(path.read_text(encoding="utf-8"), path, map_positions=False).data
    print(f"{render_site({slug: document}, Path(out)).seconds:.6f}")


if __name__ == "__main__":
    main(*sys.argv[1:])
