"""The reference server's CEQL: the language of `generator.ceql` compiled to SQLite.

The AST is compiled to a parameterised SQLite fragment on the users table's columns; the
language's own evaluator (`generator.ceql.evaluate`) agrees with it on every record
(property-tested in tests/server/test_ceql.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from generator.ceql import And, CeqlError, Expr, Field, In, IsNull, Like, Or, Value
from generator.ceql import parse as parse_ceql

__all__ = ["USER_COLUMNS", "CeqlError", "UserWhere", "to_sql"]

# The users table's column of each filterable field (ce_store.py creates the table).
USER_COLUMNS: Mapping[str, str] = {
    "id": "id",
    "createdDate": "created_date",
    "firstName": "first_name",
    "lastName": "last_name",
    "fullName": "full_name",
    "email": "email",
    "username": "username",
    "active": "active",
    "lastLoginDate": "last_login_date",
    "street1": "street1",
    "street2": "street2",
    "city": "city",
    "stateProvince": "state_province",
    "postalCode": "postal_code",
    "country": "country",
    "phone": "phone",
}

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SQL_OPERATORS = {"=": "=", "!=": "<>", "<": "<", ">": ">", "<=": "<=", ">=": ">="}


class UserWhere:
    """`where` filters on the users table: parsed against the fields the contract marks, compiled
    to SQL, remembered per text (clients page through the same filter again and again; parsing
    it with lark was a third of a filtered list's time). A CeqlError is raised again each time
    (exceptions are not cached)."""

    def __init__(self, fields: Mapping[str, Field]) -> None:
        unknown = sorted(set(fields) - set(USER_COLUMNS))
        if unknown:  # a field the contract added: the table must grow with it
            raise ValueError(
                "the contract marks " + ", ".join(unknown) + " as where fields, but the "
                "users table has no column for them (USER_COLUMNS)"
            )
        self.fields = fields
        self.sql = lru_cache(maxsize=1024)(self._compile)

    def columns(self) -> list[str]:
        """The columns a filter may name (ce_store indexes them)."""
        return [USER_COLUMNS[name] for name in self.fields]

    def _compile(self, text: str) -> tuple[str, tuple[object, ...]]:
        sql, params = to_sql(parse_ceql(text, self.fields), self.fields)
        return sql, tuple(params)


def to_sql(
    expr: Expr, fields: Mapping[str, Field], columns: Mapping[str, str] = USER_COLUMNS
) -> tuple[str, list[object]]:
    """A parameterised SQLite WHERE fragment for `expr`; values only ever travel as `?` params.
    `columns` maps each field's API name to its column."""
    params: list[object] = []
    return _sql(expr, fields, columns, params), params


def _sql(
    expr: Expr, fields: Mapping[str, Field], columns: Mapping[str, str], params: list[object]
) -> str:
    if isinstance(expr, And | Or):
        joiner = " AND " if isinstance(expr, And) else " OR "
        operands = (_sql(operand, fields, columns, params) for operand in expr.operands)
        return "(" + joiner.join(operands) + ")"
    field = fields[expr.field]
    column = _quoted(columns[field.name])
    if isinstance(expr, IsNull):
        return f"{column} IS NULL"
    if isinstance(expr, Like):
        params.append(_escape_like(expr.pattern))
        return f"{column} LIKE ? ESCAPE '\\'"
    if field.kind in ("string", "date"):
        # Text compares by code point whatever the column's declared collation (email is NOCASE).
        column += " COLLATE BINARY"
    if isinstance(expr, In):
        params.extend(_sql_value(value) for value in expr.values)
        return f"{column} IN ({', '.join('?' * len(expr.values))})"
    params.append(_sql_value(expr.value))
    return f"{column} {_SQL_OPERATORS[expr.op]} ?"


def _quoted(column: str) -> str:
    if not _IDENTIFIER.fullmatch(column):
        raise ValueError(f"column name {column!r} is not a plain identifier")
    return f'"{column}"'


def _sql_value(value: Value) -> object:
    return int(value) if isinstance(value, bool) else value  # booleans are stored as 0/1


def _escape_like(pattern: str) -> str:
    # `%` stays the wildcard; `_` and the escape character itself are literal in CEQL.
    return pattern.replace("\\", "\\\\").replace("_", "\\_")
