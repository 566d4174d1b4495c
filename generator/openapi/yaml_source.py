"""Read one YAML file into plain data plus the line and column of every node.

Aliases are refused outright: the contract never needs them, and refusing them is the simplest
complete defence against "billion laughs" YAML bombs. Scalars keep YAML 1.1 typing except
timestamps, which stay strings because OpenAPI examples compare dates as strings.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Pointer = tuple[str | int, ...]

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 100

try:  # libyaml is several times faster on large specs
    _SafeLoader: type[Any] = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _SafeLoader = yaml.SafeLoader

_TAGS_KEPT = 100_000  # plain scalars whose implicit tag is remembered, at most
_plain_tags: dict[str, str] = {}  # a plain scalar's text -> its implicit tag


class _Loader(_SafeLoader):
    """The safe loader, with each plain scalar's implicit tag worked out once.

    libyaml's composer calls back into Python to resolve the tag of every scalar, and that
    was a quarter of parsing a contract: its regular expressions were run again for every
    ``type: string``. A plain scalar's tag depends on its text alone (the safe loader has no
    path resolvers), so it is remembered by text.
    """

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is not yaml.ScalarNode or not implicit[0]:
            return super().resolve(kind, value, implicit)
        tag = _plain_tags.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(_plain_tags) < _TAGS_KEPT:
                _plain_tags[value] = tag
        return tag

    if not _SafeLoader.yaml_path_resolvers:  # nothing to follow: skip two calls per node

        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            return None

        def ascend_resolver(self) -> None:
            return None


_constructor = yaml.constructor.SafeConstructor()
# Timestamps stay strings (see the module docstring): like strings, they need no constructor.
_PLAIN_TAGS = frozenset({"tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"})
_SCALAR, _SEQUENCE = yaml.ScalarNode, yaml.SequenceNode


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
    # None until first asked: most files of a bundle are never pointed into, and mapping
    # positions costs more than the data itself. ``text`` is kept to map them then.
    positions: dict[Pointer, tuple[int, int]] | None = field(default_factory=dict)
    text: str = ""
    # What the bundler made of this text, by where it put it: shared by every SourceFile of
    # the same text through ``ParsedTexts``, so a second bundle of an unchanged file reuses it
    # (see ``bundle._Bundler._rewritten``).
    rewrites: dict[Pointer, Any] = field(default_factory=dict, repr=False, compare=False)

    def position(self, pointer: Pointer) -> tuple[int, int]:
        """The closest known position: the node itself, else its nearest ancestor."""
        if self.positions is None:
            self.positions = parse_yaml_text(self.text, self.path).positions or {}
        for end in range(len(pointer), -1, -1):
            found = self.positions.get(pointer[:end])
            if found is not None:
                return found
        return (1, 1)


# File text -> its parse: two versions of a contract (the sides of a diff, the releases of a
# changelog) share most of their files, and parsing is most of the cost of loading one.
ParsedTexts = dict[str, SourceFile]


def load_yaml_file(
    path: Path, parsed: ParsedTexts | None = None, *, map_positions: bool = True
) -> SourceFile:
    """``parsed``: texts already parsed, reused (their data is shared, so never mutate it);
    ``map_positions`` False: positions mapped on the first ``position`` call."""
    try:
        with open(path, encoding="utf-8") as file:  # sized on the open file: one lookup
            size = os.fstat(file.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise YamlSourceError(
                    "yaml-too-large", f"file is {size} bytes; the limit is {MAX_FILE_BYTES}"
                )
            text = file.read()
    except OSError as error:
        raise YamlSourceError("file-unreadable", f"cannot read file: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise YamlSourceError("yaml-syntax", f"file is not UTF-8: {error.reason}") from None
    if parsed is None:
        return parse_yaml_text(text, path, map_positions=map_positions)
    known = parsed.get(text)
    if known is None:
        known = parsed[text] = parse_yaml_text(text, path, map_positions=map_positions)
    return SourceFile(path, known.data, known.positions, text, known.rewrites)


def parse_yaml_text(text: str, path: Path, *, map_positions: bool = True) -> SourceFile:
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
    source = SourceFile(path, None, {} if map_positions else None, text)
    if node is None:
        return source
    if source.positions is not None:
        source.positions[()] = (node.start_mark.line + 1, node.start_mark.column + 1)
    try:
        if source.positions is None:
            source.data = _data(node, set(), 0)
        else:
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
    _check_depth(node, depth)
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    _check_not_seen(node, seen)
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, child in enumerate(node.value):
            child_pointer = (*pointer, index)
            positions[child_pointer] = (child.start_mark.line + 1, child.start_mark.column + 1)
            items.append(_convert(child, child_pointer, positions, seen, depth + 1))
        return items
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = _key(_convert(key_node, pointer, positions, seen, depth + 1), key_node, mapping)
        child_pointer = (*pointer, key)
        positions[child_pointer] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        mapping[key] = _convert(value_node, child_pointer, positions, seen, depth + 1)
    return mapping


def _data(node: yaml.Node, seen: set[int], depth: int) -> Any:
    """``_convert`` without positions: the same data and the same refusals, with the plain
    scalars (most nodes: keys, strings) taken in the loop instead of a call each."""
    _check_depth(node, depth)
    if node.__class__ is _SCALAR:
        return _scalar(node)
    _check_not_seen(node, seen)
    inline = depth < MAX_DEPTH  # a child one level down cannot be too deep
    if node.__class__ is _SEQUENCE:
        return [
            child.value
            if inline and child.__class__ is _SCALAR and child.tag in _PLAIN_TAGS
            else _data(child, seen, depth + 1)
            for child in node.value
        ]
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        if inline and key_node.__class__ is _SCALAR and key_node.tag in _PLAIN_TAGS:
            key = key_node.value
            if key in mapping:
                _key(key, key_node, mapping)  # raises: a duplicate
        else:
            key = _key(_data(key_node, seen, depth + 1), key_node, mapping)
        if inline and value_node.__class__ is _SCALAR and value_node.tag in _PLAIN_TAGS:
            mapping[key] = value_node.value
        else:
            mapping[key] = _data(value_node, seen, depth + 1)
    return mapping


def _check_depth(node: yaml.Node, depth: int) -> None:
    if depth > MAX_DEPTH:
        mark = node.start_mark
        raise YamlSourceError(
            "yaml-too-deep",
            f"nesting deeper than {MAX_DEPTH} levels",
            mark.line + 1,
            mark.column + 1,
        )


def _scalar(node: yaml.Node) -> Any:
    if node.tag in _PLAIN_TAGS:  # most scalars: no constructor needed
        return node.value
    try:
        return _constructor.construct_object(node)
    except (yaml.constructor.ConstructorError, ValueError) as error:  # ValueError: !!int x
        mark = node.start_mark
        problem = getattr(error, "problem", None) or str(error)
        raise YamlSourceError(
            "yaml-syntax", f"invalid scalar: {problem}", mark.line + 1, mark.column + 1
        ) from None


def _check_not_seen(node: yaml.Node, seen: set[int]) -> None:
    """The composer turns an alias into a second reference to the anchored node."""
    if id(node) in seen:
        mark = node.start_mark
        raise YamlSourceError(
            "yaml-alias",
            "YAML anchors and aliases are not allowed in the contract (they enable YAML bombs)",
            mark.line + 1,
            mark.column + 1,
        )
    seen.add(id(node))


def _key(key: Any, key_node: yaml.Node, mapping: dict[Any, Any]) -> str:
    """A mapping key as the contract's data holds it (a string), refusing non-scalars and
    duplicates."""
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
    return key
