"""Runs corpus steps against the real reference server; every answer is checked by the contract."""

from __future__ import annotations

import json
from typing import Any

import httpx
from corpus import Bindings, Entry, pointer_get
from server_harness import ResponseChecker, RunningServer

from generator.openapi.refs import resolve
from generator.server.validation import compile_schema


class StepFailed(AssertionError):
    pass


def contract_operation(spec: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    """The contract's operation at the vendor's method and path template (or a clear failure)."""
    item = resolve(spec, spec.get("paths", {}).get(path))
    if not isinstance(item, dict) or method.lower() not in item:
        raise StepFailed(f"the contract has no {method.upper()} {path}")
    return item[method.lower()]


def request_body_errors(spec: dict[str, Any], operation: dict[str, Any], body: Any) -> list[str]:
    """Why body is not a valid request body of operation under the contract ([] when valid)."""
    request_body = resolve(spec, operation.get("requestBody"))
    if not request_body:
        return [] if body is None else ["the contract documents no request body"]
    schema = request_body.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return ["the contract documents no application/json request body"]
    validator = compile_schema(spec, schema)
    return [
        f"{'/'.join(map(str, e.instance_path)) or '(root)'}: {e.message}"
        for e in validator.iter_errors(body)
    ]


class StepRunner:
    """Sends an entry's steps with the API's demo credential unless a step says otherwise."""

    def __init__(self, server: RunningServer, api: str, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.checker = ResponseChecker(spec)
        self.credentials = server.credentials[api]
        self.bindings = Bindings(server.credentials)
        self.http = httpx.Client(base_url=self.credentials["base_url"], timeout=30)

    def close(self) -> None:
        self.http.close()

    def run(self, entry: Entry, *, check_request_bodies: bool = False) -> None:
        for number, raw in enumerate(entry.steps(), start=1):
            step = self.bindings.fill({k: v for k, v in raw.items() if k not in ("save", "note")})
            label = f"step {number} ({step['method'].upper()} {step['path']})"
            try:
                self._run_step(step, raw.get("save") or {}, check_request_bodies)
            except (StepFailed, KeyError) as exc:
                raise StepFailed(f"{entry.test_id} {label}: {exc}") from None

    def _headers(self, step: dict[str, Any]) -> dict[str, str]:
        headers = {"Authorization": self.credentials["Authorization"]}
        headers.update(step.get("headers") or {})
        if step.get("cookies"):
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in step["cookies"].items())
        return {name: str(value) for name, value in headers.items() if value is not None}

    def _run_step(self, step: dict[str, Any], save: dict[str, str], check_body: bool) -> None:
        operation = contract_operation(self.spec, step["method"], step["path"])
        if operation.get("operationId") != step["operation"]:
            raise StepFailed(
                f"the contract names it {operation.get('operationId')!r}, not {step['operation']!r}"
            )
        if check_body and "body" in step:
            errors = request_body_errors(self.spec, operation, step["body"])
            if errors:
                raise StepFailed("request body invalid under the contract: " + "; ".join(errors))
        url = step["path"]
        for name, value in (step.get("path_params") or {}).items():
            url = url.replace("{" + name + "}", str(value))
        kwargs: dict[str, Any] = {"params": step.get("query"), "headers": self._headers(step)}
        if "body" in step:
            kwargs["content"] = json.dumps(step["body"]).encode()
            kwargs["headers"].setdefault("Content-Type", "application/json")
        response = self.http.request(step["method"].upper(), url, **kwargs)
        expect = step["expect"]
        if response.status_code != expect["status"]:
            raise StepFailed(
                f"answered {response.status_code}, expected {expect['status']}: "
                f"{response.text[:300]}"
            )
        answer = self.checker.check(
            step["operation"], response.status_code, response.headers, response.content
        )
        for pointer, wanted in (expect.get("body") or {}).items():
            try:
                got = pointer_get(answer, pointer)
            except KeyError:
                raise StepFailed(f"answer has no {pointer}: {response.text[:300]}") from None
            if got != wanted:
                raise StepFailed(f"{pointer} is {got!r}, expected {wanted!r}")
        for pointer in expect.get("absent") or []:
            try:
                pointer_get(answer, pointer)
            except KeyError:
                continue
            raise StepFailed(f"answer holds {pointer}, expected it absent")
        for name, pointer in save.items():
            self.bindings.saved[name] = pointer_get(answer, pointer)
