"""Code samples per operation (curl, Python httpx, JavaScript fetch) from the spec and examples.

Samples are plain text built here and highlighted by Pygments, which escapes everything; the auth
header form comes from the operation's security scheme.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from markupsafe import Markup

from generator.docs.highlight import highlight_sample

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


def _python_literal(value: Any, indent: int = 0) -> str:
    pad, inner = "    " * indent, "    " * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [
            f"{inner}{json.dumps(str(k))}: {_python_literal(v, indent + 1)},"
            for k, v in value.items()
        ]
        return "{\n" + "\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list):
        if not value:
            return "[]"
        items = [f"{inner}{_python_literal(v, indent + 1)}," for v in value]
        return "[\n" + "\n".join(items) + f"\n{pad}]"
    if value is None or isinstance(value, bool):
        return {None: "None", True: "True", False: "False"}[value]
    return json.dumps(value, ensure_ascii=False)


def curl_sample(operation: Operation, url: str, headers: list[tuple[str, str]]) -> str:
    lines = [f"curl -X {operation.method.upper()} {shlex.quote(url)}"]
    lines += [f"  -H {shlex.quote(f'{name}: {value}')}" for name, value in headers]
    has_body, body = _body(operation)
    if has_body:
        lines.append(f"  --data {shlex.quote(json.dumps(body, indent=2, ensure_ascii=False))}")
    return " \\\n".join(lines)


def python_sample(operation: Operation, url: str, headers: list[tuple[str, str]]) -> str:
    args = [f"    {json.dumps(url)},"]
    shown = [(n, v) for n, v in headers if n != "Content-Type"]
    if shown:
        args.append(f"    headers={_python_literal(dict(shown), 1)},")
    has_body, body = _body(operation)
    if has_body:
        args.append(f"    json={_python_literal(body, 1)},")
    call = (
        f"httpx.{operation.method}"
        if operation.method in {"get", "post", "put", "patch", "delete", "head", "options"}
        else "httpx.request"
    )
    if call == "httpx.request":
        args.insert(0, f"    {json.dumps(operation.method.upper())},")
    if call == "httpx.delete" and has_body:
        call, args = "httpx.request", [f"    {json.dumps('DELETE')},", *args]
    reader = "response.json()" if _has_json_response(operation) else "response.status_code"
    return "\n".join(
        [
            "import httpx",
            "",
            f"response = {call}(",
            *args,
            ")",
            "response.raise_for_status()",
            f"print({reader})",
        ]
    )


def javascript_sample(operation: Operation, url: str, headers: list[tuple[str, str]]) -> str:
    lines = [
        f"const response = await fetch({json.dumps(url)}, {{",
        f"  method: {json.dumps(operation.method.upper())},",
    ]
    if headers:
        lines.append("  headers: {")
        lines += [f"    {json.dumps(n)}: {json.dumps(v, ensure_ascii=False)}," for n, v in headers]
        lines.append("  },")
    has_body, body = _body(operation)
    if has_body:
        pretty = json.dumps(body, indent=2, ensure_ascii=False).replace("\n", "\n  ")
        lines.append(f"  body: JSON.stringify({pretty}),")
    lines.append("});")
    lines.append("if (!response.ok) throw new Error(`HTTP ${response.status}`);")
    if _has_json_response(operation):
        lines.append("console.log(await response.json());")
    return "\n".join(lines)


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
        text = make(operation, url, headers)
        samples.append(Sample(language, label, text, highlight_sample(text, language)))
    return samples
