"""What the generation hooks and the checks read of a generated case: its operation, whether a
part was generated valid, and which values a stateful step took from a link."""

from __future__ import annotations

from schemathesis import Case, GenerationMode
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.meta import TestPhase


def operation_id(case: Case) -> str:
    return str(case.operation.definition.raw.get("operationId", case.operation.label))


def positive(case: Case, location: ParameterLocation) -> bool:
    """Whether this part of the case was generated valid (negative data is left as it is)."""
    meta = case.meta
    if meta is None:
        return True
    component = meta.components.get(location)
    mode = component.mode if component is not None else meta.generation.mode
    return mode == GenerationMode.POSITIVE


def stateful(case: Case) -> bool:
    return case.meta is not None and case.meta.phase.name == TestPhase.STATEFUL


def supplied(case: Case, location: ParameterLocation) -> set[str]:
    """Names a stateful step filled from a link (a response of this run): never replaced.

    Schemathesis tracks them as the case's overrides (its own `ensure_resource_availability`
    check reads the same). Outside the stateful phase nothing is link-supplied; examples count
    as overrides there, and their sample ids must still be swapped.
    """
    if not stateful(case):
        return set()
    found = getattr(case._override, location.container_name, None) or {}
    return set(found)


def unknown_user_is_404(case: Case) -> bool:
    """False when the operation documents no 404: it answers an unknown user otherwise (Tyk's
    update and revoke answer 400 `user does not exist.` / `Could not retrieve user detail.`)."""
    responses = case.operation.definition.raw.get("responses")
    return not isinstance(responses, dict) or "404" in responses
