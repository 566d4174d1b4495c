"""Operation rules: each compares one part of an operation present on both sides.

Parameters, request bodies, responses, headers and security; schemas go to ``schemas``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.diff.context import At, DiffContext, Scope
from generator.diff.findings import Severity, removal
from generator.diff.schemas import compare_schemas
from generator.openapi.yaml_source import Pointer


@dataclass(frozen=True)
class OperationPair:
    ctx: DiffContext
    scope: Scope
    at: At
    base: dict[str, Any]
    head: dict[str, Any]
    base_item: dict[str, Any]  # the path items, for path-level parameters
    head_item: dict[str, Any]

    def emit(
        self,
        rule: str,
        severity: Severity,
        message: str,
        at: At | None = None,
        *,
        on_base: bool = False,
    ) -> None:
        self.ctx.emit(rule, severity, message, self.scope, at or self.at, on_base=on_base)


OperationRule = Callable[[OperationPair], None]
OPERATION_RULES: list[OperationRule] = []


def operation_rule(function: OperationRule) -> OperationRule:
    OPERATION_RULES.append(function)
    return function


def _mapping(node: Any) -> dict[str, Any]:
    return node if isinstance(node, dict) else {}


@operation_rule
def deprecation_changed(op: OperationPair) -> None:
    base, head = op.base.get("deprecated") is True, op.head.get("deprecated") is True
    if head and not base:
        op.emit("endpoint-deprecated", "info", "operation deprecated", op.at.child("deprecated"))
    elif base and not head:
        op.emit("endpoint-reactivated", "info", "operation no longer deprecated")


@operation_rule
def operation_id_changed(op: OperationPair) -> None:
    """Generated clients name their methods after the operationId."""
    base, head = op.base.get("operationId"), op.head.get("operationId")
    if base == head:
        return
    if base is None:
        op.emit(
            "api-operation-id-added",
            "info",
            f"operationId {head} added",
            op.at.child("operationId"),
        )
    else:
        op.emit(
            "api-operation-id-removed",
            "breaking",
            f"operationId {base} -> {head or 'none'} (generated clients rename the method)",
            op.at.child("operationId"),
        )


# --- parameters ----------------------------------------------------------------------------------


def _parameter_key(location: str, name: str, path: str) -> tuple[str, str]:
    """Header names ignore case; a path parameter is its place in the path, not its name."""
    if location == "header":
        return (location, name.lower())
    if location == "path":
        names = re.findall(r"\{([^}/]*)\}", path)
        if name in names:
            return (location, f"#{names.index(name)}")
    return (location, name)


def _parameters(
    ctx: DiffContext, side: Any, operation: dict[str, Any], item: dict[str, Any], owner: Pointer
) -> dict[tuple[str, str], tuple[dict[str, Any], Pointer]]:
    """Key -> (resolved parameter, its pointer); operation parameters override the path's."""
    found: dict[tuple[str, str], tuple[dict[str, Any], Pointer]] = {}
    path = str(owner[1])
    for where, node in (((*owner[:-1], "parameters"), item), ((*owner, "parameters"), operation)):
        listed = node.get("parameters")
        for index, raw in enumerate(listed if isinstance(listed, list) else []):
            parameter, pointer = ctx.resolve(side, raw, (*where, index))
            if isinstance(parameter, dict) and "name" in parameter:
                key = _parameter_key(str(parameter.get("in", "")), str(parameter["name"]), path)
                found[key] = (parameter, pointer)
    return found


@operation_rule
def parameters_changed(op: OperationPair) -> None:
    ctx = op.ctx
    base = _parameters(ctx, ctx.base, op.base, op.base_item, op.at.base)
    head = _parameters(ctx, ctx.head, op.head, op.head_item, op.at.head)
    for key in [*head, *(k for k in base if k not in head)]:
        location = key[0]
        name = str((head.get(key) or base[key])[0]["name"])
        label = f"{location} parameter '{name}'"
        logical = (*op.at.pointer, "parameters", location, name)
        if key not in head:
            at = At(logical, base[key][1], op.at.head)
            gone, why = removal(base[key][0].get("deprecated") is True)
            op.emit("request-parameter-removed", gone, f"{label} removed{why}", at, on_base=True)
            continue
        parameter, pointer = head[key]
        required = parameter.get("required") is True
        if key not in base:
            at = At(logical, op.at.base, pointer)
            if required:
                op.emit("new-required-request-parameter", "breaking", f"required {label} added", at)
            else:
                op.emit("new-optional-request-parameter", "info", f"optional {label} added", at)
            continue
        before, base_pointer = base[key]
        at = At(logical, base_pointer, pointer)
        was_required = before.get("required") is True
        if required and not was_required:
            op.emit("request-parameter-became-required", "breaking", f"{label} became required", at)
        elif was_required and not required:
            op.emit("request-parameter-became-optional", "info", f"{label} became optional", at)
        if parameter.get("deprecated") is True and before.get("deprecated") is not True:
            op.emit("request-parameter-deprecated", "info", f"{label} deprecated", at)
        compare_schemas(
            ctx,
            op.scope,
            at.child("schema"),
            before.get("schema"),
            parameter.get("schema"),
            direction="request",
            prefix="request-parameter",
            subject=label,
        )


# --- request body --------------------------------------------------------------------------------


@operation_rule
def request_body_changed(op: OperationPair) -> None:
    ctx = op.ctx
    at = op.at.child("requestBody")
    base, base_at = ctx.resolve(ctx.base, op.base.get("requestBody"), at.base)
    head, head_at = ctx.resolve(ctx.head, op.head.get("requestBody"), at.head)
    at = at.moved(base_at, head_at)
    if not isinstance(base, dict) and not isinstance(head, dict):
        return
    if not isinstance(head, dict):
        op.emit("request-body-removed", "warning", "request body removed", at, on_base=True)
        return
    required = head.get("required") is True
    if not isinstance(base, dict):
        if required:
            op.emit("request-body-added-required", "breaking", "required request body added", at)
        else:
            op.emit("request-body-added-optional", "info", "optional request body added", at)
        return
    was_required = base.get("required") is True
    if required and not was_required:
        op.emit("request-body-became-required", "breaking", "request body became required", at)
    elif was_required and not required:
        op.emit("request-body-became-optional", "info", "request body became optional", at)
    _content(op, at, base, head, "request")


def _content(
    op: OperationPair,
    at: At,
    base: dict[str, Any],
    head: dict[str, Any],
    side: str,
    label: str = "",
) -> None:
    """Media types of a request body or a response; the schema of each one on both sides."""
    base_types, head_types = _mapping(base.get("content")), _mapping(head.get("content"))
    subject = "request body" if side == "request" else f"response {label}"
    for media in [*head_types, *(m for m in base_types if m not in head_types)]:
        media_at = at.child("content", media)
        if media not in head_types:
            rule = (
                "request-body-media-type-removed"
                if side == "request"
                else "response-media-type-removed"
            )
            op.emit(
                rule, "breaking", f"{subject}: media type {media} removed", media_at, on_base=True
            )
        elif media not in base_types:
            rule = (
                "request-body-media-type-added"
                if side == "request"
                else "response-media-type-added"
            )
            op.emit(rule, "info", f"{subject}: media type {media} added", media_at)
        else:
            compare_schemas(
                op.ctx,
                op.scope,
                media_at.child("schema"),
                _mapping(base_types[media]).get("schema"),
                _mapping(head_types[media]).get("schema"),
                direction="request" if side == "request" else "response",
                prefix=f"{side}-body",
                subject=subject if side == "request" else f"{subject} body",
            )


# --- responses -----------------------------------------------------------------------------------


def _success(status: str) -> bool:
    return status.startswith("2")


@operation_rule
def responses_changed(op: OperationPair) -> None:
    ctx = op.ctx
    base, head = _mapping(op.base.get("responses")), _mapping(op.head.get("responses"))
    for status in [*head, *(s for s in base if s not in head)]:
        at = op.at.child("responses", status)
        kind = "success" if _success(str(status)) else "non-success"
        if status not in head:
            severity: Severity = "breaking" if kind == "success" else "warning"
            op.emit(
                f"response-{kind}-status-removed",
                severity,
                f"response {status} removed",
                at,
                on_base=True,
            )
            continue
        if status not in base:
            op.emit(f"response-{kind}-status-added", "info", f"response {status} added", at)
            continue
        before, base_at = ctx.resolve(ctx.base, base[status], at.base)
        after, head_at = ctx.resolve(ctx.head, head[status], at.head)
        if ctx.unchanged(before, after):
            continue
        at = at.moved(base_at, head_at)
        _content(op, at, _mapping(before), _mapping(after), "response", str(status))
        _headers(op, at, _mapping(before), _mapping(after), str(status))


def _headers(
    op: OperationPair, at: At, base: dict[str, Any], head: dict[str, Any], status: str
) -> None:
    ctx = op.ctx
    base_headers = {k.lower(): (k, v) for k, v in _mapping(base.get("headers")).items()}
    head_headers = {k.lower(): (k, v) for k, v in _mapping(head.get("headers")).items()}
    for key in [*head_headers, *(k for k in base_headers if k not in head_headers)]:
        label = f"response {status} header '{(head_headers.get(key) or base_headers[key])[0]}'"
        if key not in head_headers:
            name, raw = base_headers[key]
            header, pointer = ctx.resolve(ctx.base, raw, (*at.base, "headers", name))
            kind = "required" if _mapping(header).get("required") is True else "optional"
            place = At((*at.pointer, "headers", name), pointer, at.head)
            gone, why = removal(_mapping(header).get("deprecated") is True)
            op.emit(
                f"{kind}-response-header-removed",
                gone,
                f"{label} removed{why}",
                place,
                on_base=True,
            )
            continue
        name, raw = head_headers[key]
        header, pointer = ctx.resolve(ctx.head, raw, (*at.head, "headers", name))
        if key not in base_headers:
            op.emit(
                "response-header-added",
                "info",
                f"{label} added",
                At((*at.pointer, "headers", name), at.base, pointer),
            )
            continue
        old_name, old_raw = base_headers[key]
        before, base_pointer = ctx.resolve(ctx.base, old_raw, (*at.base, "headers", old_name))
        place = At((*at.pointer, "headers", name), base_pointer, pointer)
        if (
            _mapping(before).get("required") is True
            and _mapping(header).get("required") is not True
        ):
            op.emit(
                "response-header-became-optional", "breaking", f"{label} became optional", place
            )
        compare_schemas(
            ctx,
            op.scope,
            place.child("schema"),
            _mapping(before).get("schema"),
            _mapping(header).get("schema"),
            direction="response",
            prefix="response-header",
            subject=label,
        )
