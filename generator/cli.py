"""The ``usersapi`` command: a thin layer over the library functions."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from generator import __version__
from generator.openapi.apis import API_NAMES, CONTRACT_ENV, ContractNotFound, contract_in, spec_dir
from generator.openapi.bundle import default_bundle_path, dump_document, load_bundle
from generator.openapi.findings import Finding, SpecError
from generator.perf import available_cpus, mark_console_script

_API = click.Choice(API_NAMES)


class CommandFailed(click.ClickException):
    """A command that cannot go on: its message on stderr as written, and its exit code."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        # Click types exit_code as a ClassVar, yet reads it from the instance it catches.
        self.exit_code = exit_code  # type: ignore[misc]

    def show(self, file: object = None) -> None:
        click.echo(self.message, err=True)


_output_format = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="github: GitHub Actions annotations (::error file=...,line=...::) on stdout.",
)


_fail_under = click.option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    metavar="PERCENT",
    help="Exit 1 when the contract coverage is under PERCENT.",
)


def _choose_contract(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    if value is None:
        return
    try:
        folder = contract_in(value)
    except ContractNotFound as error:
        raise click.BadParameter(str(error), ctx=ctx, param=param) from None
    os.environ[CONTRACT_ENV] = str(folder)  # the processes a command starts read it too


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from generator.openapi.info import info_version

    try:
        folder = spec_dir()
    except ContractNotFound as error:
        raise click.UsageError(str(error), ctx=ctx) from None
    click.echo(f"usersapi {__version__}")
    for api in API_NAMES:
        click.echo(f"{api} contract {info_version(api)}")
    click.echo(f"contract files: {folder}")
    ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--contract",
    metavar="DIR",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    envvar=CONTRACT_ENV,
    show_envvar=True,
    is_eager=True,
    expose_value=False,
    callback=_choose_contract,
    help="Use the contract in DIR (a checkout holding openapi/, or that folder). Default: the"
    " checkout this tool runs from, else the contract it was installed with.",
)
@click.option(
    "--version",
    is_flag=True,
    is_eager=True,
    expose_value=False,
    callback=_print_version,
    help="Show the tool's version and each contract's info.version, and exit.",
)
def cli() -> None:
    """Spec-first toolkit for the Users APIs: validate, bundle, docs, serve, test."""


@cli.command()
@click.argument("apis", nargs=-1, type=_API)
@click.option("--no-prance", is_flag=True, help="Skip the prance resolution pass (faster).")
@_output_format
def validate(apis: tuple[str, ...], no_prance: bool, output_format: str) -> None:
    """Validate and lint the contract of each API (all APIs when none is named)."""
    from generator.annotations import finding_annotations
    from generator.openapi.validate import validate_api

    failed = False
    for api in apis or API_NAMES:
        started = time.perf_counter()
        findings = validate_api(api, use_prance=not no_prance)
        if output_format == "github":
            for annotation in finding_annotations(findings):
                click.echo(annotation)
        else:
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
        raise CommandFailed(_listed(error.findings)) from None
    dump_document(document, target)
    click.echo(f"{api}: bundled to {target}")


def _listed(findings: list[Finding]) -> str:
    return "\n".join(finding.format(relative_to=Path.cwd()) for finding in findings)


def _bundles_or_exit(bundle_dir: Path | None = None) -> dict[str, dict]:
    """Validate and bundle every API; print findings and exit 1 when the contract is broken."""
    from generator.openapi.validate import validate_api

    documents = {}
    for api in API_NAMES:
        findings = validate_api(api)
        if findings:
            summary = f"{api}: the contract has {len(findings)} finding(s); fix them first"
            raise CommandFailed(_listed(findings) + "\n" + summary)
        documents[api] = load_bundle(api).document
        target = bundle_dir / f"{api}.yaml" if bundle_dir else default_bundle_path(api)
        dump_document(documents[api], target)
    return documents


@cli.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build/site"),
    show_default=True,
    help="Directory of the rendered site.",
)
@click.option(
    "--conformance",
    "conformance_reports",
    type=click.Path(exists=True, path_type=Path),
    multiple=True,
    help="A result.json (or the report folder holding it) written by `usersapi test --report"
    " DIR`, `usersapi proxy --report DIR` or `usersapi report merge` (repeatable).",
)
@click.option(
    "--changes-since",
    "changes_since",
    metavar="REF",
    multiple=True,
    help="Changes page from these git revisions (repeatable, oldest first), not the releases.",
)
@click.option(
    "--decisions",
    "decision_record",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="For contract authors: add this decision record (docs/seed-decisions.md) as a page "
    "and link each x-decisions id to its row.",
)
@click.option(
    "--bundle",
    "bundle_files",
    metavar="FILE",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    multiple=True,
    help="Render this bundled file (as `usersapi bundle` writes it: JSON when its name ends in"
    " .json, else YAML) instead of the contract, as it is: not validated, no Changes page. Its"
    " pages go to a folder named after the file. Repeatable.",
)
def docs(
    output: Path,
    conformance_reports: tuple[Path, ...],
    changes_since: tuple[str, ...],
    decision_record: Path | None,
    bundle_files: tuple[Path, ...],
) -> None:
    """Render both APIs (or the given bundles) into a static documentation site."""
    from generator.docs.render import render_site

    if bundle_files and changes_since:
        raise click.UsageError("--changes-since reads the contract's history; a --bundle has none")
    documents = _read_bundles(bundle_files) if bundle_files else _bundles_or_exit()
    results = _load_conformance(conformance_reports)
    changes = {} if bundle_files else _site_changelogs(changes_since)
    try:
        stats = render_site(
            documents,
            output,
            conformance=results or None,
            changes=changes,
            decisions=decision_record,
            keep_to_exit=True,  # the command ends with the render (not so `up`, which serves next)
            processes=available_cpus(),  # pages shared as each frees up
        )
    except _UNRENDERABLE as error:
        broken = _broken_bundles(bundle_files, documents) if bundle_files else None
        if not broken:  # valid OpenAPI it could not render: a bug of ours, with its traceback
            raise
        raise _InputError(
            f"cannot render the docs ({type(error).__name__}: {error}): {broken}"
        ) from None
    click.echo(f"docs: {_describe_site(stats)} -> {output}/index.html")


# What the renderer raises on a document of another shape than OpenAPI's (a string where an
# object goes, nesting deeper than Python's recursion allows): a given bundle is not validated.
_UNRENDERABLE = (AttributeError, KeyError, TypeError, ValueError, RecursionError)


def _broken_bundles(paths: tuple[Path, ...], documents: dict[str, dict]) -> str:
    """Each given bundle that breaks OpenAPI 3.1, with where and how; "" when none does."""
    from generator.openapi.bundled_file import openapi_problems

    found = []
    for path, document in zip(paths, documents.values(), strict=True):
        problems = openapi_problems(document)
        if problems:
            found.append(f"{path} is not a valid OpenAPI document: " + "; ".join(problems))
    return "\n".join(found)


def _read_bundles(paths: tuple[Path, ...]) -> dict[str, dict]:
    """Each bundled file's document by the site folder of its pages (named after the file)."""
    from generator.docs.render import api_folder
    from generator.openapi.bundled_file import BundledFileError, read_bundled_file

    documents: dict[str, dict] = {}
    for path in paths:
        folder = api_folder(path.stem)
        if folder in documents:
            raise _InputError(f"{path}: another bundle's pages already go to {folder}/")
        try:
            documents[folder] = read_bundled_file(path)
        except BundledFileError as error:
            raise _InputError(str(error)) from None
    return documents


def _site_changelogs(changes_since: tuple[str, ...]) -> dict:
    """The Changes pages of the contract's APIs; a revision that cannot be read ends the
    command when it was named, else its problem is printed and the pages go without it."""
    from generator.diff.changelog import site_changelogs

    changes, problems = site_changelogs(API_NAMES, changes_since)
    if changes_since and problems:
        raise CommandFailed("\n".join(f"docs: {problem}" for problem in problems), exit_code=2)
    for problem in problems:
        click.echo(f"docs: {problem}", err=True)
    return changes


def _describe_site(stats: object) -> str:
    pages, size, seconds = (getattr(stats, key) for key in ("pages", "bytes", "seconds"))
    return f"{pages} pages, {size / 1024:.0f} KiB in {seconds:.2f} s"


def _load_conformance(paths: tuple[Path, ...]) -> dict[str, dict]:
    import json

    results: dict[str, dict] = {}
    for path in paths:
        target = path / "result.json" if path.is_dir() else path
        try:
            result = json.loads(target.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise click.BadParameter(f"{target}: not a readable result.json ({error})") from None
        if not isinstance(result, dict) or "api" not in result:
            raise click.BadParameter(f"{target}: not a result.json of `usersapi test` or `proxy`")
        results[str(result["api"])] = result
    return results


class _InputError(click.ClickException):
    """Input the command cannot use (a revision, a file): exit 2, like a usage error."""

    exit_code = 2


@cli.command()
@click.argument("api", type=_API)
@click.option(
    "--base",
    metavar="REF_OR_FILE",
    help="A git revision or a bundled OpenAPI file (default: the last release).",
)
@click.option(
    "--head",
    metavar="REF_OR_FILE",
    help="A git revision or a bundled file. Default: the working tree.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "json", "github"]),
    default="text",
    show_default=True,
)
@click.option(
    "--allow",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML list of accepted breaking changes: rule, operation, pointer, reason.",
)
def diff(
    api: str, base: str | None, head: str | None, output_format: str, allow: Path | None
) -> None:
    """Compare two versions of API's contract; exit 1 on a breaking change nothing accepts.

    A breaking change is accepted by an entry of the allow file or by a major bump of
    info.version.
    """
    from generator.annotations import change_annotations
    from generator.diff.formats import FORMATS, summary
    from generator.diff.report import run_diff
    from generator.diff.sources import DiffInputError

    try:
        result = run_diff(api, base, head, allow)
    except DiffInputError as error:
        raise _InputError(str(error)) from None
    if output_format == "github":
        click.echo("\n".join([*change_annotations(result), summary(result)]))
    else:
        click.echo(FORMATS[output_format](result))
    sys.exit(1 if result.failing else 0)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option(
    "--db", default="build/usersapi.sqlite3", show_default=True, help="SQLite file or :memory:."
)
@click.option("--demo", is_flag=True, help="Populate demo organizations, accounts and users.")
@click.option(
    "--credentials",
    "credentials_file",
    type=click.Path(dir_okay=False),
    help="Also write the demo credentials to this JSON file.",
)
@click.option(
    "--docs-dir",
    default="build/site",
    show_default=True,
    help="Rendered docs served at /docs when present.",
)
def serve(
    host: str, port: int, db: str, demo: bool, credentials_file: str | None, docs_dir: str
) -> None:
    """Run the reference server of both APIs (embedded SQLite)."""
    from generator.server.context import StorageError
    from generator.server.main import AddressInUse, run

    try:
        run(
            host=host,
            port=port,
            db=db,
            demo=demo,
            credentials_file=credentials_file,
            docs_dir=docs_dir,
        )
    except AddressInUse as error:
        raise CommandFailed(f"usersapi serve: {error}; choose another --port") from None
    except StorageError as error:
        raise CommandFailed(f"usersapi serve: {error}") from None


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option(
    "--build-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Where the bundles, the site, the database and the credentials go.",
)
def up(host: str, port: int, build_dir: Path) -> None:
    """Validate, bundle, render the docs and serve them with the reference server and demo data."""
    from generator.docs.render import render_site
    from generator.server.context import StorageError
    from generator.server.main import AddressInUse, bind, run

    try:
        sock = bind(host, port)  # a taken port fails now, not after the docs are rendered
    except AddressInUse as error:
        raise CommandFailed(f"usersapi up: {error}; choose another --port") from None
    documents = _bundles_or_exit(build_dir / "bundles")
    click.echo(f"contract: both APIs valid; bundles in {build_dir / 'bundles'}/")
    site = build_dir / "site"
    stats = render_site(documents, site, changes=_site_changelogs(()))
    click.echo(f"docs: {_describe_site(stats)} -> {site}/index.html")
    try:
        run(
            host=host,
            port=port,
            db=str(build_dir / "usersapi.sqlite3"),
            demo=True,
            credentials_file=str(build_dir / "credentials.json"),
            docs_dir=str(site),
            sock=sock,
        )
    except StorageError as error:
        raise CommandFailed(f"usersapi up: {error} (delete it to start over)") from None


@cli.command()
@click.argument("apis", nargs=-1, type=_API)
@click.option(
    "--language",
    "languages",
    type=click.Choice(["python", "typescript"]),
    multiple=True,
    help="Generate only these languages (default: both; TypeScript needs npm).",
)
def clients(apis: tuple[str, ...], languages: tuple[str, ...]) -> None:
    """Generate Python and TypeScript clients from the bundles into build/clients/."""
    from generator.clients import ClientGenerationError, generate_clients, npm_available

    chosen = languages or (("python", "typescript") if npm_available() else ("python",))
    try:
        results = generate_clients(apis or API_NAMES, chosen)
    except (ClientGenerationError, SpecError) as error:
        raise CommandFailed(f"client generation failed: {error}") from None
    warned = False
    for result in results:
        click.echo(
            f"{result.api} {result.language}: {result.out_dir} "
            f"({len(result.warnings)} warnings, {result.seconds:.1f} s)"
        )
        for warning in result.warnings:
            click.echo(f"  warning: {warning}", err=True)
        warned |= bool(result.warnings)
    sys.exit(1 if warned else 0)


@cli.command("test")
@click.argument("api", type=_API)
@click.option("--base-url", help="Test this live server (default: start the reference server).")
@click.option("-H", "--header", "headers", multiple=True, help="'Name: value' sent on every call.")
@click.option(
    "--second-org-header",
    "second_org_headers",
    multiple=True,
    help="Credentials of another organization, for the isolation check (repeatable).",
)
@click.option(
    "--account-id",
    "account_ids",
    type=int,
    multiple=True,
    help="A Cloud Elements account the credentials administer (repeatable; live servers).",
)
@click.option("--max-examples", type=click.IntRange(min=1), default=None, help="Cases per phase.")
@click.option("--workers", type=click.IntRange(1, 16), default=1, show_default=True)
@click.option("--seed", type=int, default=None, help="Fix the random seed to repeat a run.")
@click.option("--phases", default=None, help="Comma-separated subset of the phases to run.")
@click.option("--junit-xml", type=click.Path(path_type=Path), help="Write a JUnit XML report.")
@click.option(
    "--report",
    "report_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write result.json and report.html into this directory.",
)
@_output_format
@click.option(
    "--waivers",
    "waivers_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="YAML file of accepted deviations (check, operation, reason, expires).",
)
@click.option(
    "--shard",
    metavar="K/N",
    help="Run only the K-th of N disjoint slices of the operations (stable; merge the results"
    " with `usersapi report merge`).",
)
@_fail_under
def test_command(
    api: str,
    base_url: str | None,
    headers: tuple[str, ...],
    second_org_headers: tuple[str, ...],
    account_ids: tuple[int, ...],
    max_examples: int | None,
    workers: int,
    seed: int | None,
    phases: str | None,
    junit_xml: Path | None,
    report_dir: Path | None,
    output_format: str,
    waivers_file: Path | None,
    shard: str | None,
    fail_under: float | None,
) -> None:
    """Run the conformance suite of API against the reference server or a live one."""
    from generator.conformance.config import ALL_PHASES, DEFAULT_MAX_EXAMPLES, parse_phases
    from generator.conformance.runner import SuiteSetupError, run_suite
    from generator.conformance.shards import ShardError, parse_shard, shard_operations
    from generator.conformance.waivers import load_waivers

    operations = None
    if shard is not None:
        try:
            operations = shard_operations(load_bundle(api).document, *parse_shard(shard))
        except ShardError as error:
            raise click.BadParameter(str(error), param_hint="--shard") from None

    try:
        chosen = parse_phases(phases) if phases is not None else ALL_PHASES
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--phases") from None
    if base_url is None and (headers or second_org_headers or account_ids):
        raise click.UsageError(
            "-H, --second-org-header and --account-id need --base-url: the reference server"
            " started for the run uses its own demo data"
        )
    _report_folders("test", report_dir, junit_xml)
    try:
        waivers = load_waivers(waivers_file) if waivers_file is not None else []
        result = run_suite(
            api,
            base_url=base_url,
            headers=headers,
            second_org_headers=second_org_headers,
            account_ids=account_ids,
            max_examples=max_examples or DEFAULT_MAX_EXAMPLES,
            workers=workers,
            seed=seed,
            junit_xml=junit_xml,
            report_dir=report_dir,
            progress=click.echo,
            phases=chosen,
            waivers=waivers,
            operations=operations,
        )
    except (SuiteSetupError, SpecError) as error:
        raise CommandFailed(f"usersapi test: {error}", exit_code=2) from None
    except OSError as error:  # a report file that could not be written after all
        message = f"usersapi test: cannot write {error.filename}: {error.strerror}"
        raise CommandFailed(message, exit_code=2) from None
    if report_dir is not None:
        click.echo(f"report: {report_dir / 'report.html'} and {report_dir / 'result.json'}")
    if output_format == "github":
        from generator.annotations import result_annotations

        for annotation in result_annotations(result, load_bundle(api)):
            click.echo(annotation)
    sys.exit(0 if result.ok and _coverage_reached(result.coverage, fail_under) else 1)


def _report_folders(command: str, report_dir: Path | None, junit_xml: Path | None) -> None:
    """Make the report folders now: a folder that cannot be written fails before the run."""
    for folder in (report_dir, junit_xml.parent if junit_xml else None):
        try:
            if folder is not None:
                folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            reason = error.strerror or str(error)
            message = f"usersapi {command}: cannot write reports to {folder}: {reason}"
            raise CommandFailed(message, exit_code=2) from None


def _coverage_reached(coverage: dict | None, fail_under: float | None) -> bool:
    """Whether the contract coverage reaches --fail-under (printed when it does not)."""
    if fail_under is None or coverage is None:
        return True
    percent = coverage["totals"]["percent"]
    if percent < fail_under:
        click.echo(f"coverage {percent}% is under --fail-under {fail_under:g}%", err=True)
        return False
    return True


@cli.command()
@click.argument("api", type=_API)
@click.option("--upstream", required=True, metavar="URL", help="The server to forward to.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option(
    "--port", default=8090, show_default=True, type=int, help="0 picks a free port (printed)."
)
@click.option(
    "--report",
    "report_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="On exit, write result.json and report.html into this directory.",
)
@click.option("--junit-xml", type=click.Path(path_type=Path), help="On exit, write JUnit XML.")
@click.option(
    "--fail-on-violation", is_flag=True, help="Exit 1 when any exchange broke the contract."
)
@_fail_under
def proxy(
    api: str,
    upstream: str,
    host: str,
    port: int,
    report_dir: Path | None,
    junit_xml: Path | None,
    fail_on_violation: bool,
    fail_under: float | None,
) -> None:
    """Forward traffic to --upstream unchanged and check every exchange against API's contract.

    Each violation is printed as it happens; Ctrl-C or SIGTERM ends the session and writes the
    reports (the same formats as `usersapi test`) with the contract coverage.
    """
    from generator.conformance.coverage import coverage_table
    from generator.conformance.runner import write_reports
    from generator.proxy.judge import JudgeFailed
    from generator.proxy.serve import ProxySetupError, outside_line, run_proxy

    def echo(line: str) -> None:
        click.echo(line)
        sys.stdout.flush()

    _report_folders("proxy", report_dir, junit_xml)
    try:
        session = run_proxy(api, upstream, host, port, echo)
    except ProxySetupError as error:
        raise CommandFailed(f"usersapi proxy: {error}", exit_code=2) from None
    except JudgeFailed as error:  # killed, or a defect of ours: what it judged is gone with it
        raise CommandFailed(f"usersapi proxy: {error}; no reports written") from None
    result = session.result
    write_reports(result, junit_xml=junit_xml, report_dir=report_dir)
    if result.coverage is not None:
        click.echo(coverage_table(result.coverage))
    click.echo(f"{api}: {result.cases} exchanges, {session.violations} violations")
    if session.outside:  # else a client with a wrong base path would see only "0 exchanges"
        click.echo(outside_line(session))
    failed = fail_on_violation and session.violations > 0
    sys.exit(1 if failed or not _coverage_reached(result.coverage, fail_under) else 0)


@cli.group()
def report() -> None:
    """Work with the reports of `usersapi test` and `usersapi proxy`."""


@report.command("merge")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for the merged result.json, report.html and junit.xml.",
)
@_fail_under
def report_merge(inputs: tuple[Path, ...], output: Path, fail_under: float | None) -> None:
    """Merge the results of several runs of one API (report directories or result.json files).

    Exit 1 when the merged result fails or its coverage is under --fail-under.
    """
    from generator.conformance.coverage import coverage_table
    from generator.conformance.merge import MergeError, merge_results, read_result
    from generator.conformance.runner import write_reports

    try:
        results = [read_result(path) for path in inputs]
        if results[0].api not in API_NAMES:
            raise MergeError(f"{inputs[0]}: unknown API {results[0].api!r}")
        merged = merge_results(results, load_bundle(results[0].api).document)
    except MergeError as error:
        raise _InputError(str(error)) from None
    write_reports(merged, junit_xml=output / "junit.xml", report_dir=output)
    if merged.coverage is not None:
        click.echo(coverage_table(merged.coverage))
    verdict = "PASSED" if merged.ok else f"FAILED ({len(merged.failures)} failures)"
    click.echo(f"{merged.api}: {len(results)} results merged, {merged.cases} cases, {verdict}")
    click.echo(
        f"report: {output / 'report.html'}, {output / 'result.json'}, {output / 'junit.xml'}"
    )
    sys.exit(0 if merged.ok and _coverage_reached(merged.coverage, fail_under) else 1)


def main() -> None:
    mark_console_script()  # its command ends the process
    cli(prog_name="usersapi")
