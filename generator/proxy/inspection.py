"""One exchange judged against the contract: the suite's own checks, run on observed traffic.

The request becomes a Schemathesis `Case` and the answer a `Response`, so the checks are the
very functions `usersapi test` runs: Schemathesis' response checks and the domain checks a
single exchange can decide (`checks.SINGLE_EXCHANGE_CHECKS`). The proxy adds what only
observed traffic needs: the operation is documented, the request keeps the contract, the
upstream answered, the body arrived whole.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import requests
import schemathesis
from requests.structures import CaseInsensitiveDict
from schemathesis import APIOperation
from schemathesis.checks import CheckContext, not_a_server_error, run_checks
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from generator.conformance import canaries, checks
from generator.conformance.findings import CRASHED, crash_text

from .exchange import Exchange
from .redaction import FILTERED, Secrets
from .request_checks import body_problems, credentials_missing, parameter_problems, parse_body

RESPONSE_CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    *checks.SINGLE_EXCHANGE_CHECKS,
)
# Why an exchange has no whole answer to check (the Exchange field that says so), each a
# finding of its own: (field, check, title). A request cut short comes first: no answer came.
NO_WHOLE_ANSWER = (
    ("request_cut", "request_complete", "The request's body stopped early"),
    ("invalid_answer", "upstream_answer_valid", "The upstream's answer is not valid HTTP/1.1"),
    ("unreachable", "upstream_reachable", "The upstream could not be reached"),
    ("cut_short", "response_complete", "The answer's body stopped early"),
)
OPERATION_CACHE = 4096  # (method, path) pairs whose operation is remembered
MIN_CANARY = 8  # shorter passwords could equal an ordinary value (a name) by chance


@dataclass
class Finding:
    check: str
    title: str
    message: str = ""
    fault_at: tuple[str | int, ...] | None = None  # where in the response body, when known


@dataclass
class Verdict:
    """What the checks said of one exchange."""

    operation: APIOperation | None
    label: str  # "METHOD /path" of the contract, or as sent when undocumented
    passed: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    case: Any = None
    response: Any = None
    request_body: Any = None
    _response_json: Any = field(default=None, repr=False)

    def response_json(self) -> Any:
        """The answer's parsed JSON body (None when there is none or it is not JSON); parsed
        once, since a remembered verdict serves many exchanges."""
        if self._response_json is None:
            self._response_json = (_json(self.response),)
        return self._response_json[0]


def _template_regex(path: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", path)
    pattern = "".join(
        f"(?P<{re.sub(r'[^0-9A-Za-z_]', '_', p[1:-1])}>[^/]+)"
        if p.startswith("{")
        else re.escape(p)
        for p in parts
    )
    return re.compile(f"^{pattern}$")


class Inspector:
    """Judges exchanges of one API (one per proxy session; the schema is built once)."""

    def __init__(self, spec: dict[str, Any], upstream: str) -> None:
        config = schemathesis.Config.from_dict({"warnings": False})
        self.schema = schemathesis.openapi.from_dict(spec, config=config)
        servers = spec.get("servers") or [{"url": ""}]
        self.base_path = urlsplit(servers[0]["url"]).path.rstrip("/")
        self.upstream = upstream.rstrip("/")
        self.secrets = Secrets.of(spec)
        self._templates: dict[str, re.Pattern[str]] = {}
        self._contexts: dict[str, CheckContext] = {}
        # The operation a request is for, remembered per method and path: clients call the
        # same few again and again, and the lookup costs as much as several checks.
        self._operation = functools.lru_cache(maxsize=OPERATION_CACHE)(
            self.schema.find_operation_by_path
        )

    def inspect(self, ex: Exchange, known_secrets: set[str]) -> Verdict | None:
        """The verdict; None for a request outside the API's base path (not its traffic: the
        docs site served by the same server, say)."""
        path = unquote(ex.raw_path.decode("latin-1"))
        label = f"{ex.method} {path}"
        if ex.malformed is not None:  # judged here whatever its path: the proxy answered it
            verdict = Verdict(None, label)
            why = f"{ex.malformed}; the proxy answered 400 and forwarded nothing"
            verdict.findings.append(
                Finding("request_well_formed", "The request is not valid HTTP/1.1", why)
            )
            return verdict
        if self.base_path and not (path == self.base_path or path.startswith(self.base_path + "/")):
            return None
        operation = self._operation(ex.method, path[len(self.base_path) :])
        if operation is None:
            verdict = Verdict(None, label)
            verdict.findings.append(
                Finding("operation_documented", f"`{label}` is not an operation of the contract")
            )
            self._upstream_findings(ex, verdict)
            return verdict
        verdict = Verdict(operation, operation.label)
        self._judge(ex, operation, path[len(self.base_path) :], verdict, known_secrets)
        return verdict

    def _judge(
        self,
        ex: Exchange,
        operation: APIOperation,
        path: str,
        verdict: Verdict,
        known_secrets: set[str],
    ) -> None:
        path_params = self._path_parameters(operation, path)
        pairs = parse_qsl(ex.query_string.decode("latin-1"), keep_blank_values=True)
        query: dict[str, Any] = {}
        for name, value in pairs:
            query.setdefault(name, []).append(value)
        query = {name: values[0] if len(values) == 1 else values for name, values in query.items()}
        sent = {k.decode("latin-1"): v.decode("latin-1") for k, v in ex.headers}
        # One case-insensitive copy serves the request the checks read and the secrets (the case
        # makes its own); the parameters and the credentials read its lower-cased names.
        headers = CaseInsensitiveDict(sent)
        content_type = headers.get("content-type")
        body, unreadable = parse_body(content_type, bytes(ex.body))
        verdict.request_body = body
        by_name = dict(headers.lower_items())
        sources = {"path": path_params, "query": query, "header": by_name}
        problems = parameter_problems(operation, sources)
        if ex.request_kept_whole:
            problems += body_problems(operation, content_type, body, unreadable)
        _ran(verdict, "request_conformance", problems, "The request does not keep the contract")
        _learn_secrets(operation, body, headers, known_secrets)
        # What `operation.Case` hands on, without its two copies of the headers.
        case = self.schema.make_case(
            operation=operation,
            path_parameters=path_params,
            query=query,
            headers=headers,
            body=body if body is not None else schemathesis.core.NOT_SET,
            media_type=content_type.split(";")[0].strip()
            if content_type and body is not None
            else None,
        )
        verdict.case = case
        if self._upstream_findings(ex, verdict):
            return
        response = self._response(ex, headers)
        verdict.response = response
        self._accepted(verdict, problems, credentials_missing(operation, by_name), ex)
        checks_to_run = RESPONSE_CHECKS if ex.response_kept_whole else RESPONSE_CHECKS[:3]
        self._run_checks(case, response, checks_to_run, verdict)

    def _accepted(
        self, verdict: Verdict, problems: list[str], anonymous: bool, ex: Exchange
    ) -> None:
        """What a success answer to a request the server should have refused shows."""
        if not 200 <= ex.status < 300:
            return
        if problems:
            verdict.findings.append(
                Finding(
                    "negative_data_rejection",
                    f"A request the contract forbids was answered {ex.status}",
                    "; ".join(problems),
                )
            )
        if anonymous:
            verdict.findings.append(
                Finding(
                    "ignored_auth",
                    f"A request without credentials was answered {ex.status}",
                    "The operation requires credentials; the request carried none.",
                )
            )

    def _upstream_findings(self, ex: Exchange, verdict: Verdict) -> bool:
        """Findings when no whole answer came back; whether the response checks must be skipped."""
        for field_name, check, title in NO_WHOLE_ANSWER:
            reason = getattr(ex, field_name)
            if reason is not None:
                verdict.findings.append(Finding(check, title, reason))
                return True
        return False

    def _path_parameters(self, operation: APIOperation, path: str) -> dict[str, str]:
        template = operation.path
        pattern = self._templates.get(template)
        if pattern is None:
            pattern = self._templates[template] = _template_regex(template)
        match = pattern.match(path)
        names = re.findall(r"\{([^}]+)\}", template)
        return (
            {name: value for name, value in zip(names, match.groups(), strict=True)}
            if match
            else {}
        )

    def _response(
        self, ex: Exchange, request_headers: CaseInsensitiveDict
    ) -> schemathesis.Response:
        headers: dict[str, list[str]] = {}
        for key, value in ex.response_headers:
            headers.setdefault(key.decode("latin-1").lower(), []).append(value.decode("latin-1"))
        # Filled in, not prepared: the request was sent already, only its parts are read.
        request = requests.PreparedRequest()
        request.method = ex.method
        request.url = self.upstream + ex.raw_path.decode("latin-1")
        if ex.query_string:
            request.url += "?" + ex.query_string.decode("latin-1")
        request.headers = request_headers
        request.body = bytes(ex.body) or None
        return schemathesis.Response(
            status_code=ex.status,
            headers=headers,
            content=bytes(ex.response_body),
            request=request,
            elapsed=ex.elapsed,
            verify=True,
        )

    def _run_checks(self, case: Any, response: Any, to_run: tuple, verdict: Verdict) -> None:
        ctx = self._check_context(case.operation)

        def failed(name: str, _: object, failure: Any) -> None:
            fault_at = tuple(getattr(failure, "instance_path", None) or ()) or None
            verdict.findings.append(Finding(name, failure.title, failure.message, fault_at))

        def passed(name: str, _: object) -> None:
            verdict.passed.append(name)

        for check in to_run:  # one at a time: a check that breaks leaves the others to run
            try:
                run_checks(
                    case=case,
                    response=response,
                    ctx=ctx,
                    checks=(check,),
                    on_failure=failed,
                    on_success=passed,
                )
            except Exception as error:  # a check that breaks on odd traffic is no crash
                verdict.findings.append(Finding(check.__name__, CRASHED, crash_text(error)))

    def _check_context(self, operation: APIOperation) -> CheckContext:
        """One per operation: it holds nothing of an exchange, so it serves them all."""
        ctx = self._contexts.get(operation.label)
        if ctx is None:
            config = self.schema.config.checks_config_for(operation=operation, phase=None)
            ctx = self._contexts[operation.label] = CheckContext(
                override=None,
                auth=None,
                headers=None,
                config=config,
                transport_kwargs=None,
                response_checks=None,
            )
        return ctx

    def curl(self, ex: Exchange, shown_body: bytes) -> str:
        """A curl command that sends the request again to the upstream, credentials filtered:
        the headers the contract calls secret anywhere, for any path, and `shown_body` (the
        request's, as `shown_body` gives it) sent."""
        if ex.malformed is not None:  # curl sends only valid HTTP: it cannot send this again
            return "(none: curl cannot send a request that is not valid HTTP/1.1)"
        hidden = self.secrets.headers
        url = self.upstream + ex.raw_path.decode("latin-1")
        if ex.query_string:
            url += "?" + ex.query_string.decode("latin-1")
        parts = ["curl", "-X", ex.method, _quote(url)]
        for key, value in ex.headers:
            name = key.decode("latin-1")
            if name.lower() in ("host", "content-length", "connection", "user-agent"):
                continue
            shown = FILTERED if name.lower() in hidden else value.decode("latin-1")
            parts += ["-H", _quote(f"{name}: {shown}")]
        if shown_body:
            parts += ["-d", _quote(shown_body.decode("utf-8", "replace"))]
        return " ".join(parts)

    def shown_body(self, ex: Exchange) -> bytes:
        """The request body as reports show it: the secret fields' values filtered."""
        return self.secrets.body(bytes(ex.body), ex.header("content-type"))


def _json(response: Any) -> Any:
    if response is None:
        return None
    try:
        return response.json()
    except Exception:  # not JSON: no response fields exercised
        return None


def _ran(verdict: Verdict, check: str, problems: list[str], title: str) -> None:
    if problems:
        verdict.findings.append(Finding(check, title, "; ".join(problems)))
    else:
        verdict.passed.append(check)


def _learn_secrets(
    operation: APIOperation, body: Any, headers: CaseInsensitiveDict, known: set[str]
) -> None:
    """Passwords the client sent (the contract's secret fields and headers): none may come back."""
    values = []
    if isinstance(body, dict):
        values += [body.get(name) for name in canaries.secret_fields(operation)]
    values += [headers.get(name) for name in canaries.secret_headers(operation)]
    others = set(canaries.json_strings(body)) - set(values) if isinstance(body, dict) else set()
    known.update(
        value
        for value in values
        if isinstance(value, str) and len(value) >= MIN_CANARY and value not in others
    )


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"
