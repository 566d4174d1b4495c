"""CEQL, the `where` filter of the Cloud Elements list endpoints: the language itself.

The grammar (`grammar.lark`), the AST (`ast.py`), parsing with field and literal checks
(`parse.py`) and evaluation with SQL's semantics (`evaluate.py`), read by the reference server
(which compiles the same AST to SQL in `generator/server/ceql.py`) and by the conformance suite
(which checks that a live server's answers match the filter). It imports nothing else of
`generator`. Semantics, the same for evaluation and for the server's SQL:

- SQL three-valued logic: a comparison, LIKE or IN on a NULL (or missing) value is unknown;
  AND/OR combine unknowns as SQL does; a record matches only when the whole query is true.
- `=`, `!=`, `<`, ... on strings and dates compare code points exactly (COLLATE BINARY, whatever
  the column's own collation is).
- LIKE: `%` is the only wildcard (`_` and `\\` are literal); letters match case-insensitively for
  ASCII only (`a` = `A`, `é` != `É`), which is SQLite's built-in LIKE.
- Date fields take `'YYYY-MM-DD'` or an ISO 8601 date-time; a date-time is converted to UTC
  (no offset means UTC) and compared on its date, so `createdDate = '2015-01-01T10:00:00Z'`
  matches users created on 2015-01-01.
- Literals must suit the field: numbers for `id`, quoted strings for text and dates, true/false
  for `active` (also `'true'`/`'false'`, as the platform's own example quotes it).
"""

from generator.ceql.ast import (
    And,
    CeqlError,
    Compare,
    Expr,
    Field,
    In,
    IsNull,
    Kind,
    Like,
    Operator,
    Or,
    Value,
)
from generator.ceql.evaluate import evaluate
from generator.ceql.fields import fields_of
from generator.ceql.parse import MAX_CONDITIONS, MAX_DEPTH, MAX_LENGTH, MAX_VALUES, parse

__all__ = [
    "MAX_CONDITIONS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_VALUES",
    "And",
    "CeqlError",
    "Compare",
    "Expr",
    "Field",
    "In",
    "IsNull",
    "Kind",
    "Like",
    "Operator",
    "Or",
    "Value",
    "evaluate",
    "fields_of",
    "parse",
]
