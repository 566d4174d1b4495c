"""One failure, explained: the check, why it matters, where, and how to see it again.

Every output (terminal summary, HTML, JUnit, result.json) renders the FailureRecord built here,
so each carries the same facts: check, one sentence on why it matters, operation, seed, a curl
reproducer and excerpts of the request and the response.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .excerpts import request_excerpt, response_excerpt
from .results import FailureRecord

WHY = {
    # Schemathesis' built-in checks
    "not_a_server_error": "A 5xx means the server broke on a request it should have handled or "
    "refused; clients get no usable answer.",
    "status_code_conformance": "Clients branch on status codes: one the contract does not "
    "document is one no generated client handles.",
    "content_type_conformance": "Clients parse the body by its declared media type; an "
    "undocumented one breaks them.",
    "response_headers_conformance": "Clients rely on the response headers the contract documents.",
    "response_schema_conformance": "Generated clients and users' code parse responses by the "
    "contract's schema; a body that does not match breaks them.",
    "negative_data_rejection": "A server that accepts data the contract forbids stores "
    "garbage, and clients cannot know which input is safe.",
    "positive_data_acceptance": "A request the contract allows was refused: a correct client "
    "cannot do what the documentation promises.",
    "missing_required_header": "A required header that is not enforced hides a contract that "
    "says something the server does not do.",
    "unsupported_method": "Methods the contract does not list should be refused (405), not "
    "served by accident.",
    "allow_header_conformance": "A 405 answer must say which methods are allowed (Allow header).",
    "use_after_free": "A deleted resource that can still be used is a data-retention and "
    "security fault.",
    "ensure_resource_availability": "A resource the API just created must be reachable through "
    "the operations the contract links to it.",
    "ignored_auth": "An operation that works without valid credentials exposes data to anyone.",
    "object_level_authorization": "One caller reaching another's objects is a data leak.",
    # the domain checks of checks.py
    "password_not_echoed": "A password that comes back in a response can end up in logs, "
    "caches and browser history.",
    "secret_only_when_authorized": "`secret` is a credential: whoever reads it can act as the "
    "user.",
    "full_name_consistent": "Clients display `fullName`; a wrong one shows users a wrong name.",
    "read_your_writes": "A write that reports success but does not store what was sent loses "
    "the user's data silently.",
    "where_filter_respected": "A filter that returns users it should exclude shows callers "
    "data they did not ask for and breaks bulk changes built on it.",
    "paging_yields_each_once": "Paging that repeats or skips users makes every export and sync "
    "built on it wrong.",
    "second_org_isolated": "One organization must never see or change another's users.",
    "duplicate_email_conflicts": "Clients recognise a taken email by the documented status; "
    "another one breaks sign-up flows.",
    "deleted_user_is_gone": "A user that survives DELETE still has access and data the caller "
    "believes are gone.",
    "revoked_user_is_inactive": "A revoked user who still works keeps access the administrator "
    "believes is removed.",
    "current_user_is_the_caller": "Clients show and act on the current user: another user's "
    "record there is a data leak and a wrong identity.",
    "search_results_match": "A search that returns users who do not match shows callers data "
    "they did not ask for and breaks bulk changes built on it.",
    "search_misses_no_match": "A search that misses matching users hides accounts from the "
    "administrators looking for them (a duplicate, a leaver to revoke).",
    # what only observed traffic shows (usersapi proxy)
    "operation_documented": "A call the contract does not document is one no generated client "
    "makes and no documentation explains; the contract or the caller is out of date.",
    "request_conformance": "A request the contract forbids works only by accident: the server "
    "may refuse it, or store what it should have rejected.",
    "upstream_reachable": "The server did not answer at all: every client gets an error.",
    "upstream_answer_valid": "An answer that is not HTTP/1.1 reaches no client: each gets an "
    "error instead, whatever the server meant to say.",
    "response_complete": "A body cut short cannot be parsed; clients lose the answer.",
    "request_well_formed": "A request that is not HTTP/1.1 reaches no server: the client's "
    "HTTP code is broken, and every such call fails.",
    "request_complete": "A request cut short reaches the server half sent; the client never "
    "learns what became of it.",
}
_DEFAULT_WHY = "The server does not behave as the contract documents."


CRASHED = "The check itself crashed"  # the title of a check that could not finish


def crash_text(error: BaseException) -> str:
    """What a check that could not finish ran into, as every output shows it."""
    return f"{type(error).__name__}: {error}"


def why(check: str) -> str:
    return WHY.get(check, _DEFAULT_WHY)


def failure_record(
    *,
    check: str,
    title: str,
    message: str,
    operation: str,
    seed: int | None,
    curl: str,
    request: Any = None,
    response: Any = None,
    probe: bool = False,
    fault_at: Sequence[str | int] | None = None,
) -> FailureRecord:
    """`fault_at`: where in the response body the fault is, when the check says (a schema
    failure's instance path): the excerpt of a long body then shows that part."""
    return FailureRecord(
        check=check,
        title=title,
        message=message,
        curl=curl,
        why=why(check),
        operation=operation,
        seed=seed,
        request=request_excerpt(request),
        response=response_excerpt(response, fault_at),
        missing_id_probe=probe,
    )


def explain(record: FailureRecord) -> str:
    """The finding as plain text (terminal, JUnit)."""
    parts = [
        f"{record.check}: {record.title}",
        f"Why it matters: {record.why or why(record.check)}",
        f"Operation: {record.operation}  (seed {record.seed if record.seed is not None else '-'})",
    ]
    if record.missing_id_probe:
        parts.append("Case: a missing-id probe (the id cannot exist)")
    if record.message:
        parts.append(record.message.strip())
    if record.request:
        parts.append("Request:\n    " + record.request.replace("\n", "\n    "))
    if record.response:
        parts.append("Response:\n    " + record.response.replace("\n", "\n    "))
    if record.curl:
        parts.append("Reproduce with:\n    " + record.curl)
    if record.waived:
        parts.append(f"WAIVED: {record.waived}")
    return "\n".join(parts)
