"""prance's pass over the source files: served from the files already parsed, each ref located
once per folder, with prance's own answers."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import prance.util.url as prance_url
import pytest

from generator.openapi.apis import API_NAMES
from generator.openapi.bundle import load_bundle
from generator.openapi.structure import _each_reference_located_once, _file_url, prance_findings


@pytest.mark.parametrize("api", API_NAMES)
def test_prance_resolves_the_contracts_from_the_parsed_files(
    api: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"prance read a file itself: {args[0]}")

    monkeypatch.setattr(prance_url, "fetch_url_text", no_reading)
    bundle = load_bundle(api)
    assert prance_findings(bundle) == []
    for path in bundle.sources:  # our cache keys are prance's own
        assert _file_url(path, prance_url.absurl, prance_url.urlresource) == (
            prance_url.urlresource(prance_url.absurl(str(path)))
        )


def test_odd_paths_get_prances_own_key() -> None:
    odd = Path("/tmp/a#b;c/x?.yaml")
    key = _file_url(odd, prance_url.absurl, prance_url.urlresource)
    assert key == prance_url.urlresource(prance_url.absurl(str(odd)))


def test_refs_are_located_per_folder_with_prances_answers(tmp_path: Path) -> None:
    for name in ("one/a.yaml", "one/b.yaml", "two/c.yaml", "one/x.yaml", "two/x.yaml"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("{}\n", encoding="utf-8")
    referrers = [tmp_path / "one/a.yaml", tmp_path / "one/b.yaml", tmp_path / "two/c.yaml"]
    bases = [urlparse(f"file://{path.as_posix()}") for path in referrers]
    refs = ["x.yaml", "x.yaml#/a/b", "../one/x.yaml", "#/components", str(tmp_path / "one/x.yaml")]
    expected = [[prance_url.absurl(ref, base) for ref in refs] for base in bases]
    with _each_reference_located_once({path.as_posix() for path in referrers}):
        for _ in range(2):  # the second pass is answered from what the first kept
            found = [[prance_url.absurl(ref, base) for ref in refs] for base in bases]
            assert found == expected
    assert prance_url.absurl.__module__ == "prance.util.url"  # prance's own put back
