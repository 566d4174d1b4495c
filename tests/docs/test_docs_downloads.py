"""Each API's bundled contract is offered for download: the bytes `usersapi bundle` writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.docs import SiteStats
from generator.docs.downloads import contract_files
from generator.openapi.apis import API_NAMES


def bundle_output(api: str, target: Path) -> bytes:
    """What `usersapi bundle API -o target` writes (YAML, or JSON for a .json target)."""
    result = CliRunner().invoke(cli, ["bundle", api, "-o", str(target)])
    assert result.exit_code == 0, result.output
    return target.read_bytes()


@pytest.mark.parametrize("api", API_NAMES)
def test_downloads_hold_the_bytes_usersapi_bundle_writes(
    real_site: tuple[Path, SiteStats],
    bundled_specs: dict[str, dict[str, Any]],
    tmp_path: Path,
    api: str,
) -> None:
    site, _ = real_site
    version = bundled_specs[api]["info"]["version"]
    for fmt in ("yaml", "json"):
        offered = site / api / f"{api}-{version}.{fmt}"
        assert offered.read_bytes() == bundle_output(api, tmp_path / f"bundle.{fmt}")


def test_every_api_page_and_the_index_link_the_downloads(
    split_site: Path, real_site: tuple[Path, SiteStats], bundled_specs: dict[str, Any]
) -> None:
    site, _ = real_site
    index = (site / "index.html").read_text(encoding="utf-8")
    for api in API_NAMES:
        files = contract_files(api, bundled_specs[api]["info"]["version"])
        for _, name in files.items():
            assert f'href="{api}/{name}" download' in index
        page = (site / api / "index.html").read_text(encoding="utf-8")
        assert page.count(f'href="{files.yaml}" download') == 2  # sidebar and introduction
        assert f'data-contract="{files.yaml}"' in page  # the try-it console links it too
    for page in (split_site / "synthetic").glob("*.html"):  # split APIs: on every page
        if page.name != "changes.html":
            text = page.read_text(encoding="utf-8")
            assert 'download type="application/yaml">YAML</a>' in text, page.name


@pytest.mark.parametrize(
    ("version", "yaml_name"),
    [
        ("2.0.0", "cloud-elements-2.0.0.yaml"),
        ("1.0 beta/../x", "cloud-elements-1.0-beta-..-x.yaml"),
        ('"><script>', "cloud-elements-script.yaml"),
        ("", "cloud-elements.yaml"),
    ],
)
def test_file_names_carry_the_version_and_nothing_unsafe(version: str, yaml_name: str) -> None:
    files = contract_files("cloud-elements", version)
    assert files.yaml == yaml_name and files.json == yaml_name.removesuffix(".yaml") + ".json"
