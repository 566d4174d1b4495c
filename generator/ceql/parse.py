"""Parse a CEQL query into its AST, checking field names, literal kinds and size limits."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

from lark import Lark, Token, Transformer, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput
from lark.exceptions import VisitError

from generator.ceql.ast import (
    And,
    CeqlError,
    Compare,
    Expr,
    Field,
    In,
    IsNull,
    Like,
    Operator,
    Or,
)
from generator.ceql.literals import column, literal_value, unquote

MAX_LENGTH = 2000
MAX_DEPTH = 16  # nested parentheses
MAX_CONDITIONS = 100
MAX_VALUES = 500  # SQL parameters; stays under SQLite's historic limit of 999

_PARSER = Lark.open("grammar.lark", rel_to=__file__, parser="lalr", lexer="contextual")

# What each grammar terminal means to someone typing a query.
_TERMINALS = {
    "NAME": "a field name",
    "QUOTED_NAME": "a `quoted` field name",
    "COMPARATOR": "an operator (=, !=, <, >, <=, >=)",
    "_LIKE": "LIKE",
    "_IN": "IN",
    "_IS": "IS",
    "_NULL": "NULL",
    "_AND": "AND",
    "_OR": "OR",
    "STRING": "a 'quoted' string",
    "NUMBER": "a number",
    "TRUE": "true",
    "FALSE": "false",
    "LPAR": "'('",
    "RPAR": "')'",
    "COMMA": "','",
    "$END": "the end of the query",
}


def parse(text: str, fields: Mapping[str, Field]) -> Expr:
    """Parse a CEQL query, checking field names and literal types against `fields`."""
    if len(text) > MAX_LENGTH:
        raise CeqlError(f"query is longer than {MAX_LENGTH} characters", MAX_LENGTH + 1)
    if "\x00" in text:
        raise CeqlError("NUL character is not allowed", text.index("\x00") + 1)
    if not text.strip():
        raise CeqlError("expected a condition, found an empty query", 1)
    _check_depth(text)
    try:
        tree = _PARSER.parse(text)
    except UnexpectedInput as exc:
        raise _syntax_error(exc, text) from None
    try:
        expr: Expr = _Builder(fields).transform(tree)
    except VisitError as exc:  # lark wraps what the builder raises
        if isinstance(exc.orig_exc, CeqlError):
            raise exc.orig_exc from None
        raise
    return expr


def _check_depth(text: str) -> None:
    # Done on the raw text, before lark builds a tree, so deep nesting never reaches recursion.
    depth, quote = 0, ""
    for index, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'`":
            quote = char  # '' inside a string closes and reopens it, which is harmless here
        elif char == "(":
            depth += 1
            if depth > MAX_DEPTH:
                raise CeqlError(f"parentheses nest deeper than {MAX_DEPTH} levels", index + 1)
        elif char == ")":
            depth -= 1


def _syntax_error(exc: UnexpectedInput, text: str) -> CeqlError:
    if isinstance(exc, UnexpectedEOF):
        return CeqlError(
            f"expected {_describe(exc.expected)}, found the end of the query", len(text) + 1
        )
    if isinstance(exc, UnexpectedCharacters):
        index = exc.pos_in_stream or 0
        found = text[index]
        if found in "'`":
            return CeqlError(f"unterminated {found}quoted{found} text", index + 1)
        expected = _describe(exc.allowed) if exc.allowed else "nothing more"
        return CeqlError(f"expected {expected}, found {found!r}", index + 1)
    token = getattr(exc, "token", None)
    expected_terms = getattr(exc, "expected", None) or set()
    if token is None or token.type == "$END":
        return CeqlError(
            f"expected {_describe(expected_terms)}, found the end of the query", len(text) + 1
        )
    return CeqlError(f"expected {_describe(expected_terms)}, found {str(token)!r}", column(token))


def _describe(terminals: Iterable[str]) -> str:
    names = sorted({_TERMINALS.get(name, name) for name in terminals})
    return names[0] if len(names) == 1 else "one of: " + ", ".join(names)


class _Builder(Transformer[Token, Expr]):
    """Turns lark's tree into the AST, validating fields and literals as it goes."""

    def __init__(self, fields: Mapping[str, Field]) -> None:
        super().__init__()
        self.fields = fields
        self.conditions = 0
        self.values = 0

    def field(self, children: list[Token]) -> tuple[Field, Token]:
        token = children[0]
        name = token[1:-1] if token.type == "QUOTED_NAME" else str(token)
        found = self.fields.get(name)
        if found is None:
            known = ", ".join(self.fields)
            raise CeqlError(f"unknown field {name!r} (filterable: {known})", column(token))
        self._count_condition(token)
        return found, token

    def literal(self, children: list[Token]) -> Token:
        self.values += 1
        if self.values > MAX_VALUES:
            raise CeqlError(f"more than {MAX_VALUES} values", column(children[0]))
        return children[0]

    # Children arrive as [(Field, name token), operator/literal tokens...] per the grammar.
    def compare(self, children: list[Any]) -> Compare:
        (field, _), op, literal = children
        operator = cast(Operator, "!=" if op == "<>" else str(op))
        if field.kind == "boolean" and operator not in ("=", "!="):
            raise CeqlError(f"{field.name} is a boolean: use = or !=", column(op))
        return Compare(field.name, operator, literal_value(field, literal))

    def like(self, children: list[Any]) -> Like:
        (field, name_token), pattern = children
        if field.kind not in ("string", "date"):
            raise CeqlError(
                f"LIKE needs a text field; {field.name} is {field.kind}", column(name_token)
            )
        return Like(field.name, unquote(pattern))

    def in_list(self, children: list[Any]) -> In:
        (field, _), *literals = children
        return In(field.name, tuple(literal_value(field, token) for token in literals))

    def is_null(self, children: list[Any]) -> IsNull:
        (field, _) = children[0]
        return IsNull(field.name)

    def conjunction(self, children: list[Expr]) -> And:
        return And(_flatten(And, children))

    def disjunction(self, children: list[Expr]) -> Or:
        return Or(_flatten(Or, children))

    def _count_condition(self, token: Token) -> None:
        self.conditions += 1
        if self.conditions > MAX_CONDITIONS:
            raise CeqlError(f"more than {MAX_CONDITIONS} conditions", column(token))


def _flatten(kind: type[And] | type[Or], children: list[Expr]) -> tuple[Expr, ...]:
    operands: list[Expr] = []
    for child in children:
        operands.extend(child.operands if isinstance(child, kind) else (child,))
    return tuple(operands)
