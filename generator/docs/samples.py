"""Code samples per operation (curl, Python httpx, JavaScript fetch) from the spec and examples.

Samples are built here as lines of pieces (``code_pieces``): the code is ours, the values from
the spec are literals, escaped in the markup; the auth header form comes from the operation's
security scheme.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from markupsafe import Markup

from generator.docs.code_pieces import Line, Literal, sample_markup, sample_text
from generator.docs.value_lines import JSON, PYTHON, framed, json_literal, value_lines

if TYPE_CHECKING:
    from generator.docs.views import Operation, SecurityScheme

_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_PLACEHOLDER = re.compile(r"<[^<>]+>")
_WORDS = re.compile(r"(?<=[a-z])(?=[A-Z])")


@dataclass
class Sample:
    language: str
    label: str
    text: str
    code: Markup


def auth_header(name: str, scheme: dict[str, Any]) -> tuple[str, str]:
    """(header name, value template) for a security scheme, as a caller must send it."""
    kind = scheme.get("type")
    if kind == "http":
        prefix = str(scheme.get("scheme") or "bearer").lower()
        if prefix == "basic":
            return "Authorization", "Basic <base64 of user:password>"
        return "Authorization", f"{prefix.capitalize()} <token>"
    header = str(scheme.get("name") or "Authorization")
    explicit = scheme.get("x-auth-value")
    if isinstance(explicit, str) and explicit:
        return header, explicit
    # The description names the value format in a code span, e.g. `User <user secret>, ...`.
    for span in _CODE_SPAN.findall(str(scheme.get("description") or "")):
        value = (
            span.split(":", 1)[1].strip() if span.lower().startswith(header.lower() + ":") else span
        )
        if _PLACEHOLDER.search(value):
            return header, value
    return header, f"<{_WORDS.sub(' ', name).lower()}>"


def _url(operation: Operation, server: str) -> str:
    path = operation.path
    query: list[tuple[str, str]] = []
    for param in operation.parameters:
        value = param.example_value if param.has_example else f"<{param.name}>"
        text = value if isinstance(value, str) else json.dumps(value)
        if param.location == "path":
            path = path.replace("{" + param.name + "}", quote(text, safe="@"))
        elif param.location == "query" and param.required:
            query.append((param.name, text))
    url = server.rstrip("/") + path
    return f"{url}?{urlencode(query)}" if query else url


def _headers(operation: Operation, schemes: dict[str, SecurityScheme]) -> list[tuple[str, str]]:
    headers = []
    first = operation.security[0] if operation.security else []
    for name in first:
        scheme = schemes.get(name)
        if scheme is not None and scheme.location in ("header", ""):
            headers.append((scheme.header_name, scheme.header_value))
    for param in operation.parameters:
        if param.location == "header" and param.required:
            value = param.example_value if param.has_example else f"<{param.name}>"
            headers.append((param.name, value if isinstance(value, str) else json.dumps(value)))
    if operation.request_body is not None:
        headers.append(("Content-Type", operation.request_body.media_type))
    if any(body for response in operation.responses for body in response.bodies):
        headers.append(("Accept", "application/json"))
    return headers


def _body(operation: Operation) -> tuple[bool, Any]:
    body = operation.request_body
    if body is None or not body.media_type.endswith("json"):
        return False, None
    if body.examples:
        return True, body.examples[0].value
    return True, {}


def curl_sample(operation: Operation, url: str, headers: list[tuple[str, str]]) -> list[Line]:
    lines: list[Line] = [(f"curl -X {operation.method.upper()} ", Literal(shlex.quote(url)))]
    lines += [("  -H ", Literal(shlex.quote(f"{name}: {value}"))) for name, value in headers]
    has_body, body = _body(operation)
    if has_body:
        data = json.dumps(body, indent=2, ensure_ascii=False)
        lines.append(("  --data ", Literal(shlex.quote(data))))
    return lines


def python_sample(operation: Operation, url: str, headers: list[tuple[str, str]]) -> list[Line]:
    args: list[Line] = [("    ", Literal(json.dumps(url)), ",")]
    shown = [(n, v) for n, v in headers if n != "Content-Type"]
    if shown:
        args += framed(("    headers=",), value_lines(dict(shown), PYTHON, 1), (",",))
    has_body, body = _body(operation)
    if has_body:
        args += framed(("    json=",), value_lines(body, PYTHON, 1), (",",))
    call = (
        f"httpx.{operation.method}"
        if operation.method in {"get", "post", "put", "patch", "delete", "head", "options"}
        else "httpx.request"
    )
    if call == "httpx.request":
        args.insert(0, ("    ", Literal(json.dumps(operation.method.upper())), ","))
    if call == "httpx.delete" and has_body:
        call, args = "httpx.request", [("    ", Literal(json.dumps("DELETE")), ","), *args]
    reader = "response.json()" if _has_json_response(operation) else "response.status_code"
    return [
        ("import httpx",),
        ("",),
        (f"response = {call}(",),
        *args,
        (")",),
        ("response.raise_for_status()",),
        (f"print({reader})",),
    ]


def javascript_sample(operation: Operation, url: str, headers: list[tuple[str, str]]) -> list[Line]:
    lines: list[Line] = [
        ("const response = await fetch(", Literal(json.dumps(url)), ", {"),
        ("  method: ", Literal(json.dumps(operation.method.upper())), ","),
    ]
    if headers:
        lines.append(("  headers: {",))
        lines += [
            ("    ", Literal(json.dumps(n)), ": ", Literal(json_literal(v)), ",")
            for n, v in headers
        ]
        lines.append(("  },",))
    has_body, body = _body(operation)
    if has_body:  # JSON.stringify of the body as json.dumps(indent=2) writes it
        lines += framed(("  body: JSON.stringify(",), value_lines(body, JSON, 1), ("),",))
    lines.append(("});",))
    lines.append(("if (!response.ok) throw new Error(`HTTP ${response.status}`);",))
    if _has_json_response(operation):
        lines.append(("console.log(await response.json());",))
    return lines


def _has_json_response(operation: Operation) -> bool:
    for response in operation.responses:
        if response.status.startswith("2"):
            return any(body.media_type.endswith("json") for body in response.bodies)
    return False


def build_samples(
    operation: Operation, server: str, schemes: dict[str, SecurityScheme]
) -> list[Sample]:
    url = _url(operation, server)
    headers = _headers(operation, schemes)
    samples = []
    for language, label, make in (
        ("bash", "curl", curl_sample),
        ("python", "Python (httpx)", python_sample),
        ("javascript", "JavaScript (fetch)", javascript_sample),
    ):
        lines = make(operation, url, headers)
        samples.append(
            Sample(language, label, sample_text(lines, language), sample_markup(lines, language))
        )
    return samples
