"""The contract suite's target: the server given with --base-url, else a fresh reference server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
from schemathesis import BaseSchema, Case

from generator.conformance import context as suite_context
from generator.conformance import own_users
from generator.conformance.config import build_schema
from generator.conformance.targets import (
    api_base_url,
    live_context,
    parse_headers,
    reference_context,
    reference_server,
)
from generator.spec.bundle import bundle_api

MAX_EXAMPLES = 5  # per operation and phase; raise it for a deeper run against a live server
SEED = 1


@pytest.fixture(scope="session")
def reference_credentials(request: pytest.FixtureRequest) -> Iterator[dict[str, Any] | None]:
    if request.config.getoption("--base-url"):
        yield None
        return
    with reference_server() as credentials:
        yield credentials


def contract_schema(api: str, request: pytest.FixtureRequest, credentials: Any) -> BaseSchema:
    """The configured schema of one API; its suite context stays installed for the module."""
    options = request.config.option
    if credentials is None:
        if options.api not in (None, api):
            pytest.skip(f"--api {options.api}: {api} is not served at --base-url")
        spec = bundle_api(api)
        ctx = live_context(
            api,
            api_base_url(spec, options.base_url),
            parse_headers(options.header),
            parse_headers(options.second_org_header),
            seed=SEED,
            accounts=list(options.account_id),
        )
    else:
        spec = bundle_api(api)
        ctx = reference_context(api, credentials, seed=SEED)
    suite_context.install(ctx)
    request.addfinalizer(lambda: (suite_context.install(None), ctx.close()))
    if ctx.mutate_only_created:  # a live server: writes go only to users the run made
        own_users.create_reserve(ctx, spec)
        request.addfinalizer(lambda: own_users.remove_created(ctx, spec))  # runs before close
    return build_schema(
        spec,
        base_url=ctx.base_url,
        headers=ctx.headers,
        max_examples=MAX_EXAMPLES,
        seed=SEED,
        deterministic=True,
    )


def suite_headers() -> dict[str, str] | None:
    """The run's credentials, passed explicitly so auth checks know they are the caller's own."""
    ctx = suite_context.current()
    return dict(ctx.headers) if ctx is not None else None


def run_links(schema: BaseSchema, settings: hypothesis.settings) -> None:
    """Stateful scenarios through the contract's links, with the run's credentials."""
    machine = schema.as_state_machine()

    class WithCredentials(machine):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case: Case) -> dict[str, Any]:
            return {"headers": suite_headers()}

        def validate_response(self, response: Any, case: Case, **kwargs: Any) -> None:
            case.validate_response(
                response, headers=suite_headers(), transport_kwargs=kwargs, recorder=self.recorder
            )

    WithCredentials.run(settings=settings)
