"""The CEQL syntax tree, the fields a query may name, and the error a bad query raises."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

Kind = Literal["string", "integer", "boolean", "date"]
Value: TypeAlias = str | int | float | bool
Operator = Literal["=", "!=", "<", ">", "<=", ">="]


@dataclass(frozen=True)
class Field:
    """A field a query may filter on, by its API (JSON) name, and the kind of its literals."""

    name: str
    kind: Kind


class CeqlError(ValueError):
    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} at column {position}")
        self.message = message
        self.position = position


@dataclass(frozen=True)
class Compare:
    field: str
    op: Operator
    value: Value


@dataclass(frozen=True)
class Like:
    field: str
    pattern: str


@dataclass(frozen=True)
class In:
    field: str
    values: tuple[Value, ...]


@dataclass(frozen=True)
class IsNull:
    field: str


@dataclass(frozen=True)
class And:
    operands: tuple[Expr, ...]


@dataclass(frozen=True)
class Or:
    operands: tuple[Expr, ...]


Expr: TypeAlias = Compare | Like | In | IsNull | And | Or
