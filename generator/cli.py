"""The ``usersapi`` command: a thin layer over the library functions."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from generator.spec.apis import API_NAMES
from generator.spec.bundle import default_bundle_path, dump_document, load_bundle
from generator.spec.findings import SpecError
from generator.spec.validate import validate_api

_API = click.Choice(API_NAMES)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="usersapi-toolkit")
def cli() -> None:
    """Spec-first toolkit for the Users APIs: validate, bundle, docs, serve, test."""


@cli.command()
@click.argument("apis", nargs=-1, type=_API)
@click.option("--no-prance", is_flag=True, help="Skip the prance resolution pass (faster).")
def validate(apis: tuple[str, ...], no_prance: bool) -> None:
    """Validate and lint the contract of each API (all APIs when none is named)."""
    failed = False
    for api in apis or API_NAMES:
        started = time.perf_counter()
        findings = validate_api(api, use_prance=not no_prance)
        for finding in findings:
            click.echo(finding.format(relative_to=Path.cwd()))
        errors = sum(1 for f in findings if f.severity == "error")
        failed |= errors > 0
        elapsed = time.perf_counter() - started
        verdict = "ok" if not findings else f"{len(findings)} finding(s)"
        click.echo(f"{api}: {verdict} ({elapsed:.2f} s)", err=True)
    sys.exit(1 if failed else 0)


@cli.command()
@click.argument("api", type=_API)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file; .json writes JSON, anything else YAML. Default: build/bundles/API.yaml",
)
def bundle(api: str, output: Path | None) -> None:
    """Bundle one API into a single self-contained OpenAPI file (codegen input)."""
    target = output or default_bundle_path(api)
    try:
        document = load_bundle(api).document
    except SpecError as error:
        for finding in error.findings:
            click.echo(finding.format(relative_to=Path.cwd()), err=True)
        sys.exit(1)
    dump_document(document, target)
    click.echo(f"{api}: bundled to {target}")


def main() -> None:
    cli(prog_name="usersapi")
