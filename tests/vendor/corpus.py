"""The vendor corpus: the vendors' own published examples and test assertions, as data.

Every `tests/vendor/<api>/*.yaml` file is one vendor source document:

    source:                       # defaults for every entry of the file
      repository: TykTechnologies/tyk-docs
      commit: 95922c9...
      path: swagger/dashboard-swagger.yml
    entries:
      - id: list-users-200        # unique in the file
        kind: response-example    # | request-sample | assertion
        where: "paths./api/users.get.responses.200 (line 9104)"   # where in the source
        skip_reason: ...          # optional: knowingly left out (reported, never silent)
        ...                       # the kind's own fields, below

response-example: `operation` (our operationId), `status`, `body` (and `media_type`, default
`application/json`): the body must validate against the contract for that operation and status.

request-sample: `request` (one step, below) whose `expect.status` is the documented status;
optional `given` steps run first (e.g. to create the user a sample addresses). The request must
be valid under the contract and the reference server must answer it with that status.

assertion: `steps`, run in order against the reference server, each with its `expect`.

A step: `operation`, `method`, `path` (the vendor's template, checked against the contract),
optional `path_params`, `query`, `headers`, `cookies`, `body`, `save` ({name: JSON pointer into
the answer}) and `expect` ({status, body: {JSON pointer: value}, absent: [JSON pointer]}).
Strings may hold `${name}`: a value saved by an earlier step, `${unique}` (a fresh hex token per
run), or `${credentials./pointer}` (from the reference server's demo credentials document).
`headers.Authorization` defaults to the API's demo administrator credential; `null` omits it.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CORPUS_DIR = Path(__file__).parent
KINDS = ("response-example", "request-sample", "assertion")
_SOURCE_KEYS = ("repository", "commit", "path")
_PLACEHOLDER = re.compile(r"\$\{([^}]+)\}")
_STEP_KEYS = {
    "operation",
    "method",
    "path",
    "path_params",
    "query",
    "headers",
    "cookies",
    "body",
    "save",
    "expect",
    "note",
}


class CorpusError(ValueError):
    """A fixture file that does not follow the format above; the message names file and entry."""


@dataclass(frozen=True)
class Entry:
    api: str
    file: str  # relative to tests/vendor
    id: str
    kind: str
    source: dict[str, str]
    data: dict[str, Any] = field(repr=False)

    @property
    def test_id(self) -> str:
        return f"{self.api}/{Path(self.file).stem}/{self.id}"

    @property
    def skip_reason(self) -> str | None:
        return self.data.get("skip_reason")

    def steps(self) -> list[dict[str, Any]]:
        """The requests to run: given + request for a sample, steps for an assertion."""
        if self.kind == "request-sample":
            return [*self.data.get("given", []), self.data["request"]]
        return list(self.data.get("steps", []))


def _fail(where: str, message: str) -> CorpusError:
    return CorpusError(f"{where}: {message}")


def _check_step(where: str, step: Any) -> None:
    if not isinstance(step, dict):
        raise _fail(where, "a step must be a mapping")
    missing = [key for key in ("operation", "method", "path", "expect") if key not in step]
    if missing:
        raise _fail(where, f"step lacks {', '.join(missing)}")
    unknown = sorted(set(step) - _STEP_KEYS)
    if unknown:
        raise _fail(where, f"unknown step key(s) {', '.join(unknown)}")
    if not isinstance(step["expect"], dict) or "status" not in step["expect"]:
        raise _fail(where, "expect needs a status")


def _check_entry(where: str, entry: dict[str, Any]) -> None:
    kind = entry.get("kind")
    if kind not in KINDS:
        raise _fail(where, f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if "where" not in entry:
        raise _fail(where, "lacks 'where' (the place in the source document)")
    if kind == "response-example":
        for key in ("operation", "status", "body"):
            if key not in entry:
                raise _fail(where, f"a response-example needs {key!r}")
    elif kind == "request-sample":
        if "request" not in entry:
            raise _fail(where, "a request-sample needs 'request'")
        for i, step in enumerate([*entry.get("given", []), entry["request"]]):
            _check_step(f"{where} step {i + 1}", step)
    else:
        if not entry.get("steps"):
            raise _fail(where, "an assertion needs 'steps'")
        for i, step in enumerate(entry["steps"]):
            _check_step(f"{where} step {i + 1}", step)


def load_file(path: Path, api: str) -> list[Entry]:
    rel = str(path.relative_to(CORPUS_DIR)) if path.is_relative_to(CORPUS_DIR) else str(path)
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
        raise _fail(rel, "must be a mapping with an 'entries' list")
    defaults = document.get("source") or {}
    entries, seen = [], set()
    for index, raw in enumerate(document["entries"]):
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise _fail(f"{rel} entry {index + 1}", "needs a string 'id'")
        where = f"{rel} entry {raw['id']!r}"
        if raw["id"] in seen:
            raise _fail(where, "duplicate id")
        seen.add(raw["id"])
        source = {**defaults, **(raw.get("source") or {})}
        missing = [key for key in _SOURCE_KEYS if not source.get(key)]
        if missing:
            raise _fail(where, f"source lacks {', '.join(missing)}")
        _check_entry(where, raw)
        entries.append(Entry(api, rel, raw["id"], raw["kind"], source, raw))
    return entries


def apis() -> list[str]:
    return sorted(p.name for p in CORPUS_DIR.iterdir() if p.is_dir() and any(p.glob("*.yaml")))


def load_corpus() -> list[Entry]:
    """Every entry of every fixture file of every API, in a stable order."""
    return [
        entry
        for api in apis()
        for path in sorted((CORPUS_DIR / api).glob("*.yaml"))
        for entry in load_file(path, api)
    ]


def entries_of(kind: str) -> list[Entry]:
    return [entry for entry in load_corpus() if entry.kind == kind]


def pointer_get(document: Any, pointer: str) -> Any:
    """The value at a JSON pointer; KeyError when absent."""
    if pointer in ("", "/"):
        return document
    value = document
    for raw in pointer.removeprefix("/").split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(value, list):
            if not part.isdigit() or int(part) >= len(value):
                raise KeyError(pointer)
            value = value[int(part)]
        elif isinstance(value, dict) and part in value:
            value = value[part]
        else:
            raise KeyError(pointer)
    return value


class Bindings:
    """The `${...}` values of one run: saved answers, a unique token, the demo credentials."""

    def __init__(self, credentials: dict[str, Any]) -> None:
        self.credentials = credentials
        self.saved: dict[str, Any] = {"unique": secrets.token_hex(6)}

    def _value(self, name: str) -> Any:
        if name.startswith("credentials."):
            return pointer_get(self.credentials, name.removeprefix("credentials."))
        if name not in self.saved:
            raise KeyError(f"${{{name}}} is not bound (saved so far: {', '.join(self.saved)})")
        return self.saved[name]

    def fill(self, node: Any) -> Any:
        """A copy of node with every placeholder replaced (a whole-string one keeps its type)."""
        if isinstance(node, dict):
            return {self.fill(key): self.fill(value) for key, value in node.items()}
        if isinstance(node, list):
            return [self.fill(item) for item in node]
        if not isinstance(node, str):
            return node
        whole = _PLACEHOLDER.fullmatch(node)
        if whole:
            return self._value(whole.group(1))
        return _PLACEHOLDER.sub(lambda m: str(self._value(m.group(1))), node)


def skipped() -> Iterator[Entry]:
    return (entry for entry in load_corpus() if entry.skip_reason)
