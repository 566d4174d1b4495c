"""Each domain check on hand-built cases and responses: it fires on the fault it names and stays
quiet on correct answers, the false alarms seen in real runs among them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from handmade import BASE, case, elements_user, fails, json_reply, response, suite, tyk_user
from schemathesis.engine.recorder import ScenarioRecorder

from generator.conformance import checks
from generator.conformance.context import KnownUser
from generator.conformance.results import OperationStats, SuiteResult
from generator.conformance.runner import record_scenario

CANARY = "cnry-0123456789abcdef01234567"


# --- password_not_echoed -------------------------------------------------------------------
def test_a_password_that_reads_like_a_header_value_is_no_leak() -> None:
    """The false alarm of issue 10: a drawn password `application/json` 'found' in Content-Type."""
    create = case(
        "tyk-dashboard", "createUser", body={**tyk_user(), "password": "application/json"}
    )
    answer = response(create, 200, {"Status": "OK", "Message": "User created", "Meta": tyk_user()})
    with suite("tyk-dashboard") as ctx:
        ctx.canaries.add(CANARY)  # the run's canaries are what is looked for, nothing else
        assert not fails(checks.password_not_echoed, create, answer)


def test_a_canary_returned_in_the_body_is_a_leak() -> None:
    create = case("tyk-dashboard", "createUser", body={**tyk_user(), "password": CANARY})
    meta = tyk_user(password=CANARY)
    answer = response(create, 200, {"Status": "OK", "Message": "User created", "Meta": meta})
    with suite("tyk-dashboard") as ctx:
        ctx.canaries.add(CANARY)
        assert fails(checks.password_not_echoed, create, answer)


def test_a_canary_counts_only_as_a_whole_value_or_in_a_declared_header() -> None:
    get = case("cloud-elements", "getUser", path_parameters={"emailOrId": 7})
    inside = response(get, 200, elements_user(note=f"x{CANARY}x"))
    undeclared = response(get, 200, elements_user(), headers={"x-debug": CANARY})
    with suite("cloud-elements") as ctx:
        ctx.canaries.add(CANARY)
        assert not fails(checks.password_not_echoed, get, inside)
        assert not fails(checks.password_not_echoed, get, undeclared)


def test_without_a_run_the_leak_check_does_not_apply() -> None:
    create = case("tyk-dashboard", "createUser", body={**tyk_user(), "password": CANARY})
    answer = response(create, 200, {"Meta": tyk_user(password=CANARY)})
    assert checks.password_not_echoed(None, answer, create) is True


# --- secret_only_when_authorized -----------------------------------------------------------
def test_secret_without_the_password_header_fails() -> None:
    get = case("cloud-elements", "getUser", path_parameters={"emailOrId": 7})
    with suite("cloud-elements"):
        assert fails(
            checks.secret_only_when_authorized, get, response(get, 200, elements_user(secret="s"))
        )
        assert not fails(
            checks.secret_only_when_authorized, get, response(get, 200, elements_user())
        )


def test_secret_with_the_right_password_passes_and_with_a_wrong_one_fails() -> None:
    def get(password: str) -> Any:
        return case(
            "cloud-elements",
            "getUser",
            path_parameters={"emailOrId": 7},
            headers={"Elements-User-Password": password},
        )

    with suite("cloud-elements") as ctx:
        ctx.remember(KnownUser(7, "ada@example.com", password=CANARY))
        right, wrong = get(CANARY), get("not-it")
        with_secret = elements_user(secret="s")
        assert not fails(
            checks.secret_only_when_authorized, right, response(right, 200, with_secret)
        )
        assert fails(checks.secret_only_when_authorized, wrong, response(wrong, 200, with_secret))


def test_create_may_return_the_secret() -> None:
    create = case(
        "cloud-elements", "createAccountUser", path_parameters={"id": 1}, body=elements_user()
    )
    with suite("cloud-elements"):
        answer = response(create, 200, elements_user(secret="s"))
        assert not fails(checks.secret_only_when_authorized, create, answer)


# --- full_name_consistent ------------------------------------------------------------------
def test_full_name_must_be_first_space_last() -> None:
    get = case("cloud-elements", "getUser", path_parameters={"emailOrId": 7})
    with suite("cloud-elements"):
        wrong = response(get, 200, elements_user(fullName="Lovelace, Ada"))
        assert fails(checks.full_name_consistent, get, wrong)
        assert not fails(checks.full_name_consistent, get, response(get, 200, elements_user()))


# --- read_your_writes ----------------------------------------------------------------------
def _update(body: dict[str, Any]) -> Any:
    return case("cloud-elements", "updateUser", path_parameters={"emailOrId": 7}, body=body)


def test_a_write_that_is_not_stored_fails() -> None:
    sent = _update({"firstName": "Grace"})
    with suite("cloud-elements", lambda request: json_reply(200, elements_user())):
        assert fails(checks.read_your_writes, sent, response(sent, 200, elements_user()))
        stored = elements_user(firstName="Grace", fullName="Grace Lovelace")
        assert fails(checks.read_your_writes, sent, response(sent, 200, stored))  # read differs


def test_a_stored_write_passes_and_secrets_and_unknown_fields_are_not_expected_back() -> None:
    """Open request bodies: a server may ignore a field the contract does not declare."""
    sent = _update({"firstName": "Grace", "password": CANARY, "favouriteColour": "teal"})
    stored = elements_user(firstName="Grace", fullName="Grace Lovelace")
    with suite("cloud-elements", lambda request: json_reply(200, stored)):
        assert not fails(checks.read_your_writes, sent, response(sent, 200, stored))


@pytest.mark.parametrize("deleting", [False, True], ids=["never-stored", "deleted-by-a-worker"])
def test_a_create_whose_user_cannot_be_read_fails_unless_the_run_deleted_it(
    deleting: bool,
) -> None:
    """Tyk 5.x answers a create with only the new id: a read that finds nothing means the user
    was never stored, unless a DELETE of this run was aimed at it meanwhile."""
    body = {"first_name": "Ada", "last_name": "L", "email_address": "ada@example.com"}
    sent = case("tyk-dashboard", "createUser", body=body)
    answer = {"Status": "OK", "Message": "User created", "Meta": "c" * 24}
    with suite("tyk-dashboard", lambda request: json_reply(404, {"Status": "Error"})) as ctx:
        if deleting:
            ctx.aim_delete(["c" * 24])
        assert fails(checks.read_your_writes, sent, response(sent, 200, answer)) is not deleting


def test_an_update_that_changes_the_email_in_its_path_is_read_back_by_id() -> None:
    """A correct Cloud Elements PATCH addressed by the old email: that address now finds nobody."""
    sent = case(
        "cloud-elements",
        "updateUser",
        path_parameters={"emailOrId": "ada@example.com"},
        body={"email": "grace@example.com"},
    )
    stored = elements_user(email="grace@example.com")

    def by_id_only(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/users/7"):
            return json_reply(200, stored)
        return json_reply(404, {"requestId": "r", "message": "No user found"})

    with suite("cloud-elements", by_id_only):
        assert not fails(checks.read_your_writes, sent, response(sent, 200, stored))


@pytest.mark.parametrize("deleting", [False, True], ids=["lost", "deleted-by-a-worker"])
def test_an_update_whose_user_reads_back_missing_fails_unless_the_run_deleted_it(
    deleting: bool,
) -> None:
    """The DELETE may name the user otherwise than the update did (email against id)."""
    sent = _update({"firstName": "Grace"})
    stored = elements_user(firstName="Grace", fullName="Grace Lovelace")
    missing = {"requestId": "r", "message": "No user found"}
    with suite("cloud-elements", lambda request: json_reply(404, missing)) as ctx:
        ctx.remember(KnownUser(7, "ada@example.com"))
        if deleting:
            ctx.aim_delete(["ada@example.com"])
        assert fails(checks.read_your_writes, sent, response(sent, 200, stored)) is not deleting


# --- where_filter_respected ----------------------------------------------------------------
def test_a_user_outside_the_filter_fails() -> None:
    listing = case("cloud-elements", "listUsers", query={"where": "active = true"})
    with suite("cloud-elements"):
        wrong = response(listing, 200, [elements_user(), elements_user(8, active=False)])
        assert fails(checks.where_filter_respected, listing, wrong)
        right = response(listing, 200, [elements_user()])
        assert not fails(checks.where_filter_respected, listing, right)


# --- paging_yields_each_once ---------------------------------------------------------------
def _tyk_pages(repeat: bool) -> Any:
    everyone = [tyk_user(f"{n:024x}") for n in range(8)]

    def handler(request: httpx.Request) -> httpx.Response:
        page = request.url.params.get("p")
        if page is None:
            return json_reply(200, {"users": everyone, "pages": 1})
        start = (int(page) - 1) * 4
        users = everyone[start : start + 4]
        if repeat and page == "2":
            users = [everyone[3], *users[1:]]  # the previous page's last user again
        return json_reply(200, {"users": users, "pages": 2})

    return handler


@pytest.mark.parametrize("repeat", [True, False])
def test_paging_must_yield_each_user_once(repeat: bool) -> None:
    listing = case("tyk-dashboard", "listUsers")
    with suite("tyk-dashboard", _tyk_pages(repeat)):
        answer = response(listing, 200, {"users": [], "pages": 1})
        assert fails(checks.paging_yields_each_once, listing, answer) is repeat


# --- second_org_isolated -------------------------------------------------------------------
@pytest.mark.parametrize(("status", "leak"), [(200, True), (404, False), (403, False)])
def test_the_second_organization_must_be_refused(status: int, leak: bool) -> None:
    get = case("cloud-elements", "getUser", path_parameters={"emailOrId": 7})
    handler = lambda request: json_reply(status, elements_user())  # noqa: E731
    with suite("cloud-elements", handler, second_org_headers={"Authorization": "theirs"}):
        assert fails(checks.second_org_isolated, get, response(get, 200, elements_user())) is leak


def test_a_check_that_cannot_finish_is_reported_with_what_it_ran_into() -> None:
    """Its replay got no answer: the finding says why instead of only "crashed"."""
    get = case("cloud-elements", "getUser", path_parameters={"emailOrId": 7})

    def unreachable(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadError("[Errno 104] Connection reset by peer", request=request)

    with suite("cloud-elements", unreachable, second_org_headers={"Authorization": "x"}):
        with pytest.raises(httpx.ReadError):
            checks.second_org_isolated(None, response(get, 200, elements_user()), get)
        recorder = ScenarioRecorder(label=get.operation.label)
        recorder.record_case(case=get)
        recorder.record_check_error(name="second_org_isolated", case_id=get.id)  # as the engine
        result = SuiteResult("cloud-elements", BASE["cloud-elements"], "", 1, 1, 1)
        result.operations[get.operation.label] = OperationStats("getUser", "GET", get.path)
        record_scenario(recorder, result)
    [(_, record)] = result.failures
    assert (record.check, record.title) == ("second_org_isolated", "The check itself crashed")
    assert record.message == "ReadError: [Errno 104] Connection reset by peer"


# --- duplicate_email_conflicts -------------------------------------------------------------
@pytest.mark.parametrize(("status", "wrong"), [(409, False), (400, True)])
def test_a_taken_email_gets_the_documented_conflict(status: int, wrong: bool) -> None:
    create = case(
        "cloud-elements", "createAccountUser", path_parameters={"id": 1}, body=elements_user()
    )
    with suite("cloud-elements", lambda request: json_reply(status, {"message": "taken"})):
        answer = response(create, 200, elements_user())
        assert fails(checks.duplicate_email_conflicts, create, answer) is wrong


# --- deleted_user_is_gone ------------------------------------------------------------------
@pytest.mark.parametrize(("status", "wrong"), [(404, False), (200, True)])
def test_a_deleted_user_cannot_be_read(status: int, wrong: bool) -> None:
    delete = case("tyk-dashboard", "deleteUser", path_parameters={"userId": "a" * 24})
    with suite("tyk-dashboard", lambda request: json_reply(status, tyk_user())):
        answer = response(delete, 200, {"Status": "OK", "Message": "User deleted", "Meta": ""})
        assert fails(checks.deleted_user_is_gone, delete, answer) is wrong


def test_every_domain_check_has_a_unit_test() -> None:
    """Here or in the test module of the checks' own module (test_access_checks.py, ...)."""
    here = Path(__file__).parent
    source = "".join(p.read_text(encoding="utf-8") for p in here.glob("test_*checks.py"))
    for check in checks.DOMAIN_CHECKS:
        assert f"checks.{check.__name__}" in source, check.__name__
