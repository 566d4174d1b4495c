"""Read one YAML file into plain data plus the line and column of every node.

Aliases are refused outright: the contract never needs them, and refusing them is the simplest
complete defence against "billion laughs" YAML bombs. Scalars keep YAML 1.1 typing except
timestamps, which stay strings because OpenAPI examples compare dates as strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Pointer = tuple[str | int, ...]

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 100

try:  # libyaml is several times faster on large specs
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

_constructor = yaml.constructor.SafeConstructor()
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_STR_TAG = "tag:yaml.org,2002:str"


class YamlSourceError(Exception):
    """A file that cannot be read as contract YAML; line and col are 1-based."""

    def __init__(self, rule: str, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.line = line
        self.col = col


@dataclass
class SourceFile:
    path: Path
    data: Any
    positions: dict[Pointer, tuple[int, int]] = field(default_factory=dict)

    def position(self, pointer: Pointer) -> tuple[int, int]:
        """The closest known position: the node itself, else its nearest ancestor."""
        for end in range(len(pointer), -1, -1):
            found = self.positions.get(pointer[:end])
            if found is not None:
                return found
        return (1, 1)


def load_yaml_file(path: Path) -> SourceFile:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise YamlSourceError("file-unreadable", f"cannot read file: {error.strerror}") from None
    if size > MAX_FILE_BYTES:
        raise YamlSourceError(
            "yaml-too-large", f"file is {size} bytes; the limit is {MAX_FILE_BYTES}"
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise YamlSourceError("yaml-syntax", f"file is not UTF-8: {error.reason}") from None
    return parse_yaml_text(text, path)


def parse_yaml_text(text: str, path: Path) -> SourceFile:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = error.problem or str(error)
        context = f" ({error.context})" if error.context else ""
        raise YamlSourceError(
            "yaml-syntax", f"invalid YAML: {problem}{context}", line, col
        ) from None
    except yaml.YAMLError as error:
        raise YamlSourceError("yaml-syntax", f"invalid YAML: {error}") from None
    except RecursionError:
        raise YamlSourceError("yaml-too-deep", "YAML nesting is too deep") from None
    source = SourceFile(path=path, data=None)
    if node is None:
        source.data = None
        return source
    source.positions[()] = (node.start_mark.line + 1, node.start_mark.column + 1)
    try:
        source.data = _convert(node, (), source.positions, set(), 0)
    except YamlSourceError as error:
        if error.rule == "yaml-alias":
            error.line, error.col = _first_alias_position(text)
        raise
    return source


def _first_alias_position(text: str) -> tuple[int, int]:
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            return (event.start_mark.line + 1, event.start_mark.column + 1)
    return (1, 1)


def _convert(
    node: yaml.Node,
    pointer: Pointer,
    positions: dict[Pointer, tuple[int, int]],
    seen: set[int],
    depth: int,
) -> Any:
    if depth > MAX_DEPTH:
        mark = node.start_mark
        raise YamlSourceError(
            "yaml-too-deep",
            f"nesting deeper than {MAX_DEPTH} levels",
            mark.line + 1,
            mark.column + 1,
        )
    if isinstance(node, yaml.ScalarNode):
        tag = node.tag
        if tag in (_STR_TAG, _TIMESTAMP_TAG):  # most scalars: no constructor needed
            return node.value
        try:
            return _constructor.construct_object(node)
        except yaml.constructor.ConstructorError as error:
            mark = node.start_mark
            raise YamlSourceError(
                "yaml-syntax", f"invalid scalar: {error.problem}", mark.line + 1, mark.column + 1
            ) from None
    # The composer turns an alias into a second reference to the anchored node.
    if id(node) in seen:
        mark = node.start_mark
        raise YamlSourceError(
            "yaml-alias",
            "YAML anchors and aliases are not allowed in the contract (they enable YAML bombs)",
            mark.line + 1,
            mark.column + 1,
        )
    seen.add(id(node))
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, child in enumerate(node.value):
            child_pointer = (*pointer, index)
            positions[child_pointer] = (child.start_mark.line + 1, child.start_mark.column + 1)
            items.append(_convert(child, child_pointer, positions, seen, depth + 1))
        return items
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = _convert(key_node, pointer, positions, seen, depth + 1)
        if not isinstance(key, str | int | bool | float) and key is not None:
            mark = key_node.start_mark
            raise YamlSourceError(
                "yaml-syntax", "mapping keys must be scalars", mark.line + 1, mark.column + 1
            )
        key = str(key) if not isinstance(key, str) else key
        if key in mapping:
            mark = key_node.start_mark
            raise YamlSourceError(
                "yaml-duplicate-key", f"duplicate key {key!r}", mark.line + 1, mark.column + 1
            )
        child_pointer = (*pointer, key)
        positions[child_pointer] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        mapping[key] = _convert(value_node, child_pointer, positions, seen, depth + 1)
    return mapping
