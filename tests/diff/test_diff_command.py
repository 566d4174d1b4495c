"""`usersapi diff` in-process: the real contract, the version rule, the allow file, bad input."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from click.testing import CliRunner

from generator.cli import cli
from generator.diff.releases import Release, load_releases
from generator.diff.sources import load_side
from generator.openapi.bundle import dump_document

# The Tyk Dashboard contract as released (openapi/releases.yaml).
RELEASED = "0676be4"
ACCESS_KEY = "/items/properties/access_key"


def _diff(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["diff", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def _json(*args: str) -> tuple[int, dict]:
    code, output = _diff(*args, "--format", "json")
    return code, json.loads(output)


def _released_tyk_without_access_key(tmp_path: Path, version: str | None = None) -> Path:
    document = copy.deepcopy(load_side("tyk-dashboard", RELEASED).document)
    user = document["components"]["schemas"]["User"]
    del user["properties"]["access_key"]
    user["required"].remove("access_key")
    if version is not None:
        document["info"]["version"] = version
    target = tmp_path / "tyk.yaml"
    dump_document(document, target)
    return target


def test_removed_response_field_of_the_real_contract_breaks_each_operation(tmp_path: Path) -> None:
    """access_key leaves User: one breaking change, located in User.yaml as released, that
    reaches the four operations answering with a user; the version was not bumped."""
    head = _released_tyk_without_access_key(tmp_path)
    code, data = _json("tyk-dashboard", "--base", RELEASED, "--head", str(head))
    assert code == 1
    found = [(c["rule"], c["operation"], c["pointer"], c["file"]) for c in data["changes"]]
    user_file = "openapi/tyk-dashboard/components/schemas/User.yaml"
    body = "/responses/200/content/application~1json/schema"
    assert found == [
        (
            "response-required-property-removed",
            "",
            "/components/schemas/User/properties/access_key",
            user_file,
        ),
        ("breaking-change-without-major-version-bump", "", "/info/version", str(head)),
    ]
    assert data["changes"][0]["operations"] == [
        {
            "operation": "GET /api/users",
            "operationId": "listUsers",
            "pointer": f"/paths/~1api~1users/get{body}/properties/users{ACCESS_KEY}",
        },
        {
            "operation": "GET /api/users/{userId}",
            "operationId": "getUser",
            "pointer": f"/paths/~1api~1users~1{{userId}}/get{body}/properties/access_key",
        },
        {
            "operation": "POST /api/users",
            "operationId": "createUser",
            "pointer": f"/paths/~1api~1users/post{body}/properties/Meta/oneOf/0{ACCESS_KEY[6:]}",
        },
        {
            "operation": "PUT /api/users/{userId}",
            "operationId": "updateUser",
            "pointer": f"/paths/~1api~1users~1{{userId}}/put{body}/properties/access_key",
        },
    ]
    released_user = load_side("tyk-dashboard", RELEASED)
    line = next(c["line"] for c in data["changes"] if c["file"] == user_file)
    assert (
        line
        == released_user.bundle.sources[
            next(p for p in released_user.bundle.sources if p.name == "User.yaml")
        ].position(("properties", "access_key"))[0]
    )
    assert data["failing"] == 2


def test_a_major_version_bump_accepts_the_breaking_changes(tmp_path: Path) -> None:
    head = _released_tyk_without_access_key(tmp_path, version="1.0.0")
    code, data = _json("tyk-dashboard", "--base", RELEASED, "--head", str(head))
    assert code == 0
    assert {c["acceptedBy"] for c in data["changes"]} == {"major version bump 0.9.0 -> 1.0.0"}
    assert data["failing"] == 0


def test_a_minor_bump_does_not_accept_them(tmp_path: Path) -> None:
    head = _released_tyk_without_access_key(tmp_path, version="0.10.0")
    code, data = _json("tyk-dashboard", "--base", RELEASED, "--head", str(head))
    assert code == 1
    assert "breaking-change-without-major-version-bump" in [c["rule"] for c in data["changes"]]


def test_a_harmless_change_without_a_version_bump_is_a_warning(tmp_path: Path) -> None:
    document = copy.deepcopy(load_side("tyk-dashboard", RELEASED).document)
    document["paths"]["/api/users"]["get"]["deprecated"] = True
    dump_document(document, tmp_path / "tyk.yaml")
    code, data = _json("tyk-dashboard", "--base", RELEASED, "--head", str(tmp_path / "tyk.yaml"))
    assert code == 0
    assert [(c["rule"], c["severity"]) for c in data["changes"]] == [
        ("change-without-version-bump", "warning"),
        ("endpoint-deprecated", "info"),
    ]


def _allow_file(tmp_path: Path, entries: list[dict[str, str]]) -> Path:
    path = tmp_path / "allow.yaml"
    path.write_text(json.dumps(entries), encoding="utf-8")
    return path


def test_the_allow_file_accepts_listed_changes_and_reports_unused_entries(tmp_path: Path) -> None:
    head = _released_tyk_without_access_key(tmp_path)
    body = "/responses/200/content/application~1json/schema/properties"
    allowed = [
        {
            "rule": "response-required-property-removed",
            "operation": operation,
            "pointer": f"/paths/{path}/{method}{body}{tail}",
            "reason": "access keys are shown once, by the key reset action",
        }
        for operation, path, method, tail in [
            ("GET /api/users", "~1api~1users", "get", f"/users{ACCESS_KEY}"),
            ("GET /api/users/{userId}", "~1api~1users~1{userId}", "get", "/access_key"),
            ("POST /api/users", "~1api~1users", "post", "/Meta/oneOf/0/properties/access_key"),
            ("PUT /api/users/{userId}", "~1api~1users~1{userId}", "put", "/access_key"),
        ]
    ]
    stale = {"rule": "api-security-added", "operation": "GET /x", "pointer": "/x", "reason": "old"}
    allow = _allow_file(tmp_path, [*allowed, stale])
    code, data = _json(
        "tyk-dashboard", "--base", RELEASED, "--head", str(head), "--allow", str(allow)
    )
    assert code == 0
    rules = [(c["rule"], c["severity"], bool(c["acceptedBy"])) for c in data["changes"]]
    assert rules == [
        ("response-required-property-removed", "breaking", True),
        ("change-without-version-bump", "warning", False),
        ("allow-entry-unused", "warning", False),
    ]
    unused = next(c for c in data["changes"] if c["rule"] == "allow-entry-unused")
    assert unused["line"] == 1 and unused["file"].endswith("allow.yaml")


def _diff_allowing(tmp_path: Path, head: Path, entry: dict[str, str]) -> tuple[int, dict]:
    allow = _allow_file(tmp_path, [entry])
    return _json("tyk-dashboard", "--base", RELEASED, "--head", str(head), "--allow", str(allow))


def test_one_allow_entry_accepts_a_shared_change_for_all_its_operations(tmp_path: Path) -> None:
    """The removal from User is one edit: an entry naming one operation it reaches, at the
    component's pointer, accepts it; an entry for an operation it does not reach does not."""
    head = _released_tyk_without_access_key(tmp_path)
    entry = {
        "rule": "response-required-property-removed",
        "operation": "GET /api/users/{userId}",
        "pointer": "/components/schemas/User/properties/access_key",
        "reason": "access keys are shown once, by the key reset action",
    }
    code, data = _diff_allowing(tmp_path, head, entry)
    assert code == 0
    assert [c["rule"] for c in data["changes"] if not c["acceptedBy"]] == [
        "change-without-version-bump"
    ]
    elsewhere = {**entry, "operation": "DELETE /api/users/{userId}"}
    code, data = _diff_allowing(tmp_path, head, elsewhere)
    assert code == 1
    assert "allow-entry-unused" in [c["rule"] for c in data["changes"]]


def test_an_allow_entry_without_a_reason_is_refused(tmp_path: Path) -> None:
    allow = _allow_file(tmp_path, [{"rule": "r", "operation": "GET /x", "pointer": "/x"}])
    code, output = _diff("tyk-dashboard", "--base", RELEASED, "--allow", str(allow))
    assert code == 2
    assert "allow entry: missing reason" in output


def test_formats_github_and_markdown(tmp_path: Path) -> None:
    head = _released_tyk_without_access_key(tmp_path)
    code, github = _diff(
        "tyk-dashboard", "--base", RELEASED, "--head", str(head), "--format", "github"
    )
    assert code == 1
    assert github.startswith(
        "::error file=openapi/tyk-dashboard/components/schemas/User.yaml,line="
    )
    assert (
        ",title=response-required-property-removed::GET /api/users, GET /api/users/{userId},"
        " POST /api/users, PUT /api/users/{userId}: schema 'User' at /properties/access_key:"
        " removed without deprecation"
    ) in github
    _, markdown = _diff(
        "tyk-dashboard", "--base", RELEASED, "--head", str(head), "--format", "markdown"
    )
    assert "### Shared components" in markdown
    assert (
        "- **breaking** `response-required-property-removed`: schema 'User' at"
        " /properties/access_key: removed without deprecation in 4 operations: GET /api/users,"
    ) in markdown
    _, text = _diff("tyk-dashboard", "--base", RELEASED, "--head", str(head))
    assert (
        ": breaking response-required-property-removed: schema 'User' at /properties/access_key:"
        " removed without deprecation (/components/schemas/User/properties/access_key)"
        " in 4 operations: GET /api/users, GET /api/users/{userId}, POST /api/users,"
        " PUT /api/users/{userId}"
    ) in text


def test_bad_input_unknown_revision() -> None:
    code, output = _diff("cloud-elements", "--base", "no-such-revision-4b1d")
    assert code == 2
    assert "'no-such-revision-4b1d' is neither a file nor a git revision" in output
    assert "Traceback" not in output and len(output.strip().splitlines()) == 1


def test_bad_input_base_file_is_not_openapi(tmp_path: Path) -> None:
    not_openapi = tmp_path / "config.yaml"
    not_openapi.write_text("name: something\nitems: [1, 2]\n", encoding="utf-8")
    code, output = _diff("cloud-elements", "--base", str(not_openapi))
    assert code == 2
    assert "not an OpenAPI 3 document" in output and str(not_openapi) in output
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: [unclosed\n", encoding="utf-8")
    code, output = _diff("cloud-elements", "--base", str(broken))
    assert code == 2
    assert f"{broken}:" in output and "not an OpenAPI file" in output


def test_bad_input_base_revision_without_the_api() -> None:
    """fcd8bb1 added the Tyk contract; the Cloud Elements one came in the next commit."""
    code, output = _diff("cloud-elements", "--base", "fcd8bb1")
    assert code == 2
    assert "revision fcd8bb1: has no openapi/cloud-elements/openapi.yaml" in output
    assert len(output.strip().splitlines()) == 1


def test_the_default_base_is_the_last_release() -> None:
    """Diffing the last release (openapi/releases.yaml) against its own commit changes nothing."""
    release = load_releases("tyk-dashboard")[0]
    code, output = _diff("tyk-dashboard", "--head", release.commit)
    assert code == 0
    assert output.splitlines()[0] == (
        f"tyk-dashboard: release {release.version} ({release.commit[:7]}) -> {release.commit}"
        f" ({release.version})"
    )


def test_the_releases_file_marks_the_published_versions() -> None:
    first = {api: load_releases(api)[-1] for api in ("cloud-elements", "tyk-dashboard")}
    assert first["cloud-elements"] == Release("2.0.0", "0676be46440bfe4a3f994ff3507d7eccc49a1487")
    assert first["tyk-dashboard"] == Release("0.9.0", "0676be46440bfe4a3f994ff3507d7eccc49a1487")
