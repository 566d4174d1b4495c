"""The real contract against an earlier revision of itself: the changes a person lists by hand."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from generator.cli import cli

RELEASED = "0676be4"  # Tyk Dashboard 0.9.0 as released
TYK_1_0_0 = "3ce985f"  # "Tyk contract 1.0.0 faithful to dashboard v0.9 and 5.13"


def _changes(api: str, base: str, head: str) -> tuple[int, list[dict]]:
    result = CliRunner().invoke(
        cli, ["diff", api, "--base", base, "--head", head, "--format", "json"]
    )
    return result.exit_code, json.loads(result.output)["changes"]


_RANK = {"breaking": 0, "warning": 1, "info": 2}


def _per_operation(changes: list[dict]) -> list[dict]:
    """Each change once per operation it reaches (a shared one listing several is one change
    in the output), ordered as the diff orders changes: what a person counts by hand."""
    reached = [
        {**change, **one} for change in changes for one in (change.get("operations") or [{}])
    ]
    return sorted(
        reached, key=lambda c: (_RANK[c["severity"]], c["operation"], c["pointer"], c["rule"])
    )


@pytest.mark.parametrize("api", ["cloud-elements", "tyk-dashboard"])
def test_the_shared_enums_refactoring_changed_nothing_for_clients(api: str) -> None:
    """2189734 -> 0676be4 moved the role keys and access levels into RoleKey and AccessLevel
    components, added x-auth-value and dropped Meta's `type: [object, string]` next to a oneOf
    of an object and a string: by hand, nothing a client can notice, so no change at all."""
    code, changes = _changes(api, "2189734", RELEASED)
    assert code == 0
    assert changes == []


# Written once in a component, each of these is one change listing the operations it reaches.
SHARED_IN_TYK_1_0_0 = [
    ("request-parameter-pattern-changed", "/components/parameters/UserId/schema", 5),
    ("response-property-became-nullable", "/components/schemas/Status/properties/Meta", 3),
    (
        "response-property-enum-value-added",
        "/components/schemas/UserPermissions/properties/IsAdmin",
        4,
    ),
    ("response-property-pattern-changed", "/components/schemas/User/properties/id", 4),
]


def test_tyk_1_0_0_against_0_9_0() -> None:
    """Read from the two contracts: Meta (and the users list) may now be null, and create's Meta
    gains a null option (breaking for readers, announced by 1.0.0); ids are 24 or 48 hex
    digits; IsAdmin also takes "true"/"false"; update answers the user or a status envelope
    and no longer documents 404; me, both searches and revoke are new; a session-cookie scheme
    is added; request bodies accept unknown fields."""
    code, changes = _changes("tyk-dashboard", RELEASED, TYK_1_0_0)
    assert code == 0
    found = [
        (c["severity"], c["rule"], c["operation"], c["pointer"].rsplit("/", 1)[-1])
        for c in _per_operation(changes)
    ]
    user, reset = "/api/users/{userId}", "/api/users/{userId}/actions/reset"
    key_reset = "/api/users/{userId}/actions/key/reset"
    id_pattern = "request-parameter-pattern-changed"
    assert found == [
        ("breaking", "response-property-became-nullable", f"DELETE {user}", "Meta"),
        ("breaking", "response-property-became-nullable", "GET /api/users", "users"),
        ("breaking", "response-property-one-of-added", "POST /api/users", "2"),
        ("breaking", "response-property-became-nullable", f"POST {reset}", "Meta"),
        ("breaking", "response-property-became-nullable", f"PUT {key_reset}", "Meta"),
        ("warning", id_pattern, f"DELETE {user}", "schema"),
        ("warning", "response-property-pattern-changed", "GET /api/users", "id"),
        ("warning", "response-property-enum-value-added", "GET /api/users", "IsAdmin"),
        ("warning", id_pattern, f"GET {user}", "schema"),
        ("warning", "response-property-pattern-changed", f"GET {user}", "id"),
        ("warning", "response-property-enum-value-added", f"GET {user}", "IsAdmin"),
        ("warning", "response-property-pattern-changed", "POST /api/users", "id"),
        ("warning", "response-property-enum-value-added", "POST /api/users", "IsAdmin"),
        ("warning", "response-property-enum-removed", "POST /api/users", "1"),
        ("warning", id_pattern, f"POST {reset}", "schema"),
        ("warning", id_pattern, f"PUT {user}", "schema"),
        ("warning", "response-property-pattern-changed", f"PUT {user}", "id"),
        ("warning", "response-property-enum-value-added", f"PUT {user}", "IsAdmin"),
        ("warning", "response-body-one-of-added", f"PUT {user}", "1"),
        ("warning", "response-non-success-status-removed", f"PUT {user}", "404"),
        ("warning", id_pattern, f"PUT {key_reset}", "schema"),
        ("info", "api-security-component-added", "", "DashboardSession"),
        ("info", "response-non-success-status-added", "GET /api/users", "404"),
        ("info", "endpoint-added", "GET /api/users/me", "get"),
        ("info", "endpoint-added", "GET /api/users/search", "get"),
        ("info", "request-body-additional-properties-widened", "POST /api/users", "schema"),
        ("info", "new-optional-request-property", "POST /api/users", "user_permissions"),
        ("info", "endpoint-added", "POST /api/users/search", "post"),
        ("info", "request-body-additional-properties-widened", f"POST {reset}", "schema"),
        ("info", "new-optional-request-property", f"POST {reset}", "api_model"),
        ("info", "new-optional-request-property", f"POST {reset}", "current_password"),
        ("info", "request-body-additional-properties-widened", f"PUT {user}", "schema"),
        ("info", "request-body-min-properties-removed", f"PUT {user}", "schema"),
        ("info", "request-property-enum-value-added", f"PUT {user}", "IsAdmin"),
        ("info", "endpoint-added", "PUT /api/users/{userId}/actions/revoke", "put"),
    ]
    breaking = [c for c in changes if c["severity"] == "breaking"]
    assert {c["acceptedBy"] for c in breaking} == {"major version bump 0.9.0 -> 1.0.0"}
    nullable_meta = next(c for c in _per_operation(changes) if c["operation"] == f"DELETE {user}")
    assert nullable_meta["file"].startswith("openapi/tyk-dashboard/components/schemas/")
    shared = sorted(
        (c["rule"], c["pointer"], len(c["operations"])) for c in changes if c.get("operations")
    )
    assert shared == SHARED_IN_TYK_1_0_0


CE_3_0_0 = "a734404"  # "Cloud Elements 3.0.0: role statuses as the vendor's tests assert, ..."


def test_cloud_elements_3_0_0_against_2_0_0() -> None:
    """Read from the two contracts, per (severity, rule): how many changes and on which field.
    The eight operations answering users now give createdDate as a date or epoch milliseconds
    (a oneOf with a new integer option) and not always (optional): breaking, announced by
    3.0.0; password is no longer one masked value; the role key gains sys-admin everywhere;
    path ids lose their minimum; request bodies accept unknown fields; the five
    /organizations/users operations are new; assigning a role may answer 409."""
    code, changes = _changes("cloud-elements", RELEASED, CE_3_0_0)
    assert code == 0
    grouped: dict[tuple[str, str], list[str]] = {}
    for c in _per_operation(changes):
        what = c["operation"] if c["rule"] == "endpoint-added" else c["pointer"].rsplit("/", 1)[-1]
        grouped.setdefault((c["severity"], c["rule"]), []).append(what)
    summary = {key: (len(found), sorted(set(found))) for key, found in grouped.items()}
    organization_users = "/organizations/users"
    assert summary == {
        ("breaking", "response-property-became-optional"): (8, ["createdDate"]),
        ("breaking", "response-property-one-of-added"): (8, ["1"]),
        ("warning", "response-property-enum-removed"): (8, ["password"]),
        ("warning", "response-property-enum-value-added"): (10, ["key"]),
        ("info", "request-parameter-min-removed"): (14, ["schema"]),
        ("info", "endpoint-added"): (
            5,
            [
                f"DELETE {organization_users}/{{emailOrId}}",
                f"GET {organization_users}",
                f"GET {organization_users}/{{emailOrId}}",
                f"PATCH {organization_users}/{{emailOrId}}",
                f"POST {organization_users}",
            ],
        ),
        ("info", "request-parameter-enum-value-added"): (2, ["schema"]),
        ("info", "response-property-became-required"): (10, ["description"]),
        ("info", "request-body-additional-properties-widened"): (4, ["schema"]),
        ("info", "request-body-min-properties-removed"): (2, ["schema"]),
        ("info", "request-property-additional-properties-widened"): (4, ["items"]),
        ("info", "request-property-enum-value-added"): (4, ["key"]),
        ("info", "new-optional-request-property"): (1, ["externalId"]),
        ("info", "response-non-success-status-added"): (1, ["409"]),
    }
    assert {c["acceptedBy"] for c in changes if c["severity"] == "breaking"} == {
        "major version bump 2.0.0 -> 3.0.0"
    }
    # The 81 places are 22 changes: 13 written once in a shared component.
    assert len(changes) == 22
    shared = {
        (c["rule"], c["pointer"]): len(c["operations"]) for c in changes if c.get("operations")
    }
    assert shared == {
        ("request-body-additional-properties-widened", "/components/schemas/UserUpdate"): 2,
        ("request-body-min-properties-removed", "/components/schemas/UserUpdate"): 2,
        ("request-parameter-enum-value-added", "/components/schemas/RoleKey"): 2,
        ("request-parameter-min-removed", "/components/parameters/AccountId/schema"): 6,
        ("request-parameter-min-removed", "/components/parameters/EmailOrIdAsUserId/schema"): 5,
        ("request-parameter-min-removed", "/components/parameters/UserId/schema"): 3,
        ("request-property-additional-properties-widened", "/components/schemas/RoleRef"): 4,
        ("request-property-enum-value-added", "/components/schemas/RoleKey"): 4,
        ("response-property-became-optional", "/components/schemas/User/properties/createdDate"): 8,
        (
            "response-property-became-required",
            "/components/schemas/Role/properties/description",
        ): 10,
        ("response-property-enum-removed", "/components/schemas/User/properties/password"): 8,
        ("response-property-enum-value-added", "/components/schemas/RoleKey"): 10,
        (
            "response-property-one-of-added",
            "/components/schemas/User/properties/createdDate/oneOf/1",
        ): 8,
    }
    sys_admin = [c["message"] for c in changes if c["rule"] == "response-property-enum-value-added"]
    assert all('"sys-admin"' in message for message in sys_admin)
