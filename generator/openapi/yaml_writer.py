"""Write plain data (a bundled contract) as block-style YAML, in one pass.

PyYAML's dumper builds a node, several events and a scalar analysis for every value, in pure
Python (its C emitter still goes through the Python representer and resolver): about 2 s a
thousand operations, most of the docs render of a big contract, which offers the bundle as a
download. Contract data is only mappings, sequences, strings, numbers, booleans and nulls, so
a writer for those is short. Every value reads back as itself in YAML 1.1 (PyYAML, this
project's loader) and 1.2 readers alike:

- a string is written plain only when it is one line of ASCII that starts with a letter (or
  ``_ / $ (``), holds no ``": "`` or ``" #"`` (a key, a comment), no double or trailing space,
  and PyYAML's resolver reads it as a string (not ``yes``, ``null``, a number, a date);
- a multi-line string whose lines allow it is a literal block (``|`` or ``|-``);
- any other string is JSON-quoted (JSON's escapes are a subset of YAML's double-quoted ones),
  with the characters YAML does not allow raw, or reads as line breaks, escaped too.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

_STR_TAG = "tag:yaml.org,2002:str"
_SAFE = r"A-Za-z0-9_/$()\[\]{}.,;:+@'!?&*%=<>~^|\\\"`#-"
_PLAIN = re.compile(rf"[A-Za-z_/$(][{_SAFE}]*(?: [{_SAFE}]+)*")
_ONE_LETTER_BOOLEANS = frozenset("yYnN")  # YAML 1.1 booleans that PyYAML reads as strings
# Raw, YAML allows tab, line feed and the printable characters; it reads NEL, LS and PS as line
# breaks and a BOM as a marker. A literal block holds only line feeds and printable characters.
_ESCAPED = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_NOT_IN_BLOCK = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_LONGEST_SIMPLE_KEY = 1000  # YAML readers stop looking for a key's ':' after 1024 characters
_resolver = yaml.resolver.Resolver()


def yaml_text(data: Any) -> str:
    """``data`` as a YAML document (mappings in their order, sequences not indented under
    their key, as PyYAML writes them)."""
    out: list[str] = []
    writer = _Writer(out)
    if isinstance(data, dict) and data:
        writer.mapping(data, 0, "")
    elif isinstance(data, list) and data:
        writer.sequence(data, 0, "")
    else:
        writer.scalar(data, "", 2)
    out.append("")
    return "\n".join(out)


class _Writer:
    def __init__(self, out: list[str]) -> None:
        self.out = out
        self.inline: dict[str, str | None] = {}  # string -> its one-line form, None: a block

    def mapping(self, node: dict[Any, Any], indent: int, prefix: str) -> None:
        """Write ``node``'s lines at ``indent``; the first starts with ``prefix`` ("- " etc.)."""
        pad = " " * indent
        inner = indent + 2
        for key, value in node.items():
            text = self.one_line(key) if isinstance(key, str) else _non_string(key)
            if len(text) > _LONGEST_SIMPLE_KEY:
                self.out.append(f"{prefix}? {text}")
                head = pad + ":"
            else:
                head = prefix + text + ":"
            prefix = pad
            if isinstance(value, dict) and value:
                self.out.append(head)
                self.mapping(value, inner, " " * inner)
            elif isinstance(value, list) and value:
                self.out.append(head)
                self.sequence(value, indent, pad)
            else:
                self.scalar(value, head + " ", inner)

    def sequence(self, node: list[Any], indent: int, prefix: str) -> None:
        pad = " " * indent
        inner = indent + 2
        for item in node:
            dash = prefix + "- "
            prefix = pad
            if isinstance(item, dict) and item:
                self.mapping(item, inner, dash)
            elif isinstance(item, list) and item:
                self.sequence(item, inner, dash)
            else:
                self.scalar(item, dash, inner)

    def scalar(self, value: Any, head: str, indent: int) -> None:
        """``head`` followed by ``value``; a literal block's lines go at ``indent``."""
        if not isinstance(value, str):
            self.out.append(head + _non_string(value))
            return
        text = self.inline.get(value)
        if text is None and (value in self.inline or _is_block(value)):
            self.inline[value] = None
            pad = " " * indent
            lines = value.split("\n")
            if value.endswith("\n"):
                lines.pop()
                self.out.append(head + "|")
            else:
                self.out.append(head + "|-")
            self.out.extend(pad + line if line else "" for line in lines)
            return
        self.out.append(head + (text or self.one_line(value)))

    def one_line(self, value: str) -> str:
        text = self.inline.get(value)
        if text is None:
            text = self.inline[value] = _one_line(value)
        return text


def _is_block(value: str) -> bool:
    return (
        "\n" in value
        and value[0] not in " \n"
        and not value.endswith(("\n\n", " "))
        and " \n" not in value
        and _NOT_IN_BLOCK.search(value) is None
    )


def _one_line(value: str) -> str:
    if (
        _PLAIN.fullmatch(value)
        and ": " not in value
        and " #" not in value
        and not value.endswith(":")
        and value not in _ONE_LETTER_BOOLEANS
        and _resolver.resolve(yaml.ScalarNode, value, (True, False)) == _STR_TAG
    ):
        return value
    quoted = json.dumps(value, ensure_ascii=False)
    return _ESCAPED.sub(lambda found: f"\\u{ord(found.group()):04x}", quoted)


def _non_string(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    raise TypeError(f"cannot write a {type(value).__name__} as contract YAML")


def _float(value: float) -> str:
    """As PyYAML writes floats: YAML 1.1 wants a dot before an exponent."""
    if value != value:
        return ".nan"
    if value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value).lower()
    if "." not in text and "e" in text:
        text = text.replace("e", ".0e", 1)
    return text
