"""A bundled file read back: the document `usersapi bundle` wrote, for commands given a bundle
instead of the contract (``usersapi docs --bundle``; the diff reads one with line numbers).

JSON when the name ends in .json, as ``dump_document`` writes it: a JSON parser reads a big
bundle seventy times faster than the YAML loader (0.04 s of CPU against 2.8 s at 5,000
operations). Anything else is read as YAML by the contract's loader (aliases refused), without
the size limit of a source file: a big contract's bundle is larger than any of its files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from generator.openapi.yaml_source import YamlSourceError, parse_yaml_text


class BundledFileError(Exception):
    """A file that cannot be read as a bundled OpenAPI 3 document: one message naming it."""


def not_openapi_3(data: Any) -> str | None:
    """Why ``data`` is not an OpenAPI 3 document (the words after "not an OpenAPI 3 document"),
    or None when it is one."""
    version = data.get("openapi") if isinstance(data, dict) else None
    if not isinstance(version, str) or not version.startswith("3."):
        return "no 'openapi: 3.x' at its top"
    if not isinstance(data.get("paths", {}), dict):
        return "'paths' is not a mapping"
    return None


MOST_PROBLEMS = 5  # enough to say where a bundle breaks; the validator lists every one


def openapi_problems(document: dict[str, Any]) -> list[str]:
    """Where and how a bundle breaks OpenAPI 3.1 (openapi-spec-validator, as `usersapi
    validate` runs it), the first ``MOST_PROBLEMS``: asked only once a bundle could not be
    used, since validating a big one costs seconds and a given bundle is used as it is."""
    from generator.openapi.structure import schema_errors  # the validator loads on demand

    problems: list[str] = []
    try:
        for pointer, message in schema_errors(document):
            problems.append(f"/{'/'.join(map(str, pointer))}: {message}")
            if len(problems) == MOST_PROBLEMS:
                break
    except (RecursionError, ValueError, TypeError) as error:  # too deep or odd even to validate
        problems.append(f"openapi-spec-validator could not read it ({type(error).__name__})")
    return problems


def read_bundled_file(path: Path) -> dict[str, Any]:
    """The OpenAPI 3 document in ``path``; ``BundledFileError`` when it is not one."""
    try:
        data = _json(path) if path.suffix.lower() == ".json" else _yaml(path)
    except OSError as error:
        raise BundledFileError(f"{path}: cannot read file: {error.strerror}") from None
    problem = not_openapi_3(data)
    if problem is None and isinstance(data, dict):
        return data
    raise BundledFileError(f"{path}: not an OpenAPI 3 document ({problem})")


def _json(path: Path) -> Any:
    try:
        return orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as error:
        raise BundledFileError(f"{path}: not JSON: {error}") from None


def _yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise BundledFileError(f"{path}: not UTF-8: {error.reason}") from None
    try:
        return parse_yaml_text(text, path, map_positions=False).data
    except YamlSourceError as error:
        raise BundledFileError(f"{path}:{error.line}:{error.col}: {error.message}") from None
