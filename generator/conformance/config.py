"""The Schemathesis schema of one bundled contract, configured for a suite run."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import schemathesis
from schemathesis import BaseSchema
from schemathesis.config._checks import POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES

from generator.openapi.walk import iter_operations

from . import checks  # noqa: F401  (registers the domain checks with Schemathesis)
from .generation import install_hooks
from .repeatable import no_local_constants

ALL_PHASES = ("examples", "coverage", "fuzzing", "stateful")
DEFAULT_MAX_EXAMPLES = 25
STATEFUL_MAX_STEPS = 10


def parse_phases(text: str) -> tuple[str, ...]:
    """A comma-separated subset of ALL_PHASES (ValueError naming the unknown ones)."""
    chosen = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = sorted(set(chosen) - set(ALL_PHASES))
    if unknown or not chosen:
        raise ValueError(
            f"unknown phase(s) {', '.join(unknown) or repr(text)}; "
            f"choose from {', '.join(ALL_PHASES)}"
        )
    return chosen


def _phase(name: str, *, enabled: bool) -> dict[str, Any]:
    if name == "stateful":
        return {"enabled": enabled, "max-steps": STATEFUL_MAX_STEPS}
    # Schemathesis' own reuse of ids seen in responses knows nothing of the callers' users,
    # and would reset their keys or roles; generation.map_case points at existing users instead.
    return {"enabled": enabled, "extra-data-sources": {"responses": False}}


def _unknown_user_answers_400(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Per-operation check settings for operations on one user that document no 404.

    They answer a user that does not exist (e.g. deleted by an earlier step) with 400, as Tyk's
    update and revoke do (`user does not exist.`); that is the documented answer to a valid
    request, not a valid request rejected.
    """
    statuses = [*POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES, "400"]
    return [
        {
            "include-operation-id": operation.node["operationId"],
            "checks": {"positive_data_acceptance": {"expected-statuses": statuses}},
        }
        for operation in iter_operations(spec)
        if "{" in operation.path
        and "404" not in (operation.node.get("responses") or {})
        and "operationId" in operation.node
    ]


def build_schema(
    spec: dict[str, Any],
    *,
    base_url: str,
    headers: dict[str, str],
    max_examples: int = DEFAULT_MAX_EXAMPLES,
    workers: int = 1,
    seed: int | None = None,
    phases: Sequence[str] = ALL_PHASES,
    deterministic: bool = False,
) -> BaseSchema:
    """All phases, positive and negative data, every built-in and domain check enabled."""
    settings: dict[str, Any] = {
        "generation": {
            "mode": "all",
            "max-examples": max_examples,
            "deterministic": deterministic,
            # Credentials come from the run's headers; a generated Authorization would be
            # replaced by them on the wire while still counting as the case's data.
            "with-security-parameters": False,
            # A seed alone decides the cases: no examples replayed from an earlier run.
            "database": "none",
        },
        "analysis": {"constants": {"enabled": False}},
        "phases": {name: _phase(name, enabled=name in phases) for name in ALL_PHASES},
        "checks": {"enabled": True},
        "operations": _unknown_user_answers_400(spec),
        "workers": workers,
        "warnings": False,
    }
    if seed is not None:
        settings["seed"] = seed
    no_local_constants()
    config = schemathesis.Config.from_dict(settings)
    schema = schemathesis.openapi.from_dict(spec, config=config)
    schema.config.update(base_url=base_url, headers=headers)
    install_hooks(schema)
    return schema
