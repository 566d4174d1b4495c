"""One docs render in a process of its own, as `usersapi docs` renders: nothing is cached from
an earlier render (the highlighter and Markdown caches are per process), so a round of the
docs goal measures what a user waits for, as Redocly's rounds do (a process each).

Run: ``.venv/bin/python bench/render_once.py BUNDLE SLUG OUT``; prints render_site's seconds
and the CPU seconds of this process while it ran (the collection that follows a render, after
render_site's own clock stops, included); loading the bundle is not timed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from generator.docs import render_site
from generator.openapi.yaml_source import parse_yaml_text
from generator.perf import mark_console_script


def main(bundle: str, slug: str, out: str) -> None:
    path = Path(bundle)  # a bundle is over the size limit of a contract's source file
    document = parse_yaml_text(path.read_text(encoding="utf-8"), path, map_positions=False).data
    mark_console_script()  # as the usersapi console script does; its docs command ends here too
    started = time.process_time()
    seconds = render_site({slug: document}, Path(out), keep_to_exit=True).seconds
    print(f"{seconds:.6f} {time.process_time() - started:.6f}")


if __name__ == "__main__":
    main(*sys.argv[1:])
