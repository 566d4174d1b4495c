"""Evaluate a CEQL AST on one record exactly as SQLite evaluates the same filter."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeAlias

from generator.ceql.ast import And, Expr, In, IsNull, Like, Or

Truth: TypeAlias = bool | None  # None is SQL's UNKNOWN


def evaluate(expr: Expr, record: Mapping[str, object]) -> bool:
    """True when `record` (API JSON names; missing or None means NULL) matches, as SQL would."""
    return _truth(expr, record) is True


def _truth(expr: Expr, record: Mapping[str, object]) -> Truth:
    if isinstance(expr, And):
        results = [_truth(operand, record) for operand in expr.operands]
        return False if False in results else (None if None in results else True)
    if isinstance(expr, Or):
        results = [_truth(operand, record) for operand in expr.operands]
        return True if True in results else (None if None in results else False)
    value = record.get(expr.field)
    if isinstance(expr, IsNull):
        return value is None
    if value is None:
        return None
    if isinstance(expr, Like):
        return _like(_as_text(value), expr.pattern)
    if isinstance(expr, In):
        return any(_order(value) == _order(item) for item in expr.values)
    left, right = _order(value), _order(expr.value)
    return {
        "=": left == right,
        "!=": left != right,
        "<": left < right,
        ">": left > right,
        "<=": left <= right,
        ">=": left >= right,
    }[expr.op]


def _order(value: object) -> tuple[int, int | float | str | bytes]:
    # SQLite orders values by storage class first: numbers < text < blobs.
    if isinstance(value, bool | int | float):
        return (1, int(value) if isinstance(value, bool) else value)
    if isinstance(value, str):
        return (2, value)
    if isinstance(value, bytes):
        return (3, value)
    raise TypeError(f"cannot compare a {type(value).__name__} in CEQL")


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        return str(int(value))
    return value if isinstance(value, str) else str(value)


_ASCII_FOLD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _like(value: str, pattern: str) -> bool:
    """SQLite's LIKE with `%` as the only wildcard, in linear time (no regex backtracking)."""
    # SQLite's LIKE reads C strings, so a value stops at its first NUL.
    text = value.split("\x00", 1)[0].translate(_ASCII_FOLD)
    first, *middle = pattern.translate(_ASCII_FOLD).split("%")
    if not middle:
        return text == first
    last = middle.pop()
    if not text.startswith(first):
        return False
    position = len(first)
    for segment in middle:
        found = text.find(segment, position)
        if found < 0:
            return False
        position = found + len(segment)
    return len(text) - position >= len(last) and text.endswith(last)
