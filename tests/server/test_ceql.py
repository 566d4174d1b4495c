"""CEQL: parser, SQL compilation, Python evaluation, and their agreement on random data."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from datetime import date

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generator.ceql import (
    MAX_CONDITIONS,
    MAX_DEPTH,
    MAX_LENGTH,
    And,
    CeqlError,
    Compare,
    Expr,
    In,
    IsNull,
    Like,
    Or,
    evaluate,
    fields_of,
    parse,
)
from generator.openapi.bundle import bundle_api
from generator.openapi.where_fields import where_fields
from generator.server.ceql import USER_COLUMNS, to_sql

# The fields the contract marks filterable (x-where-field), as the server and the suite read them.
USER_FIELDS = fields_of(where_fields(bundle_api("cloud-elements")))

# The columns CEQL filters, declared like the reference server's users table (email is NOCASE
# there, which CEQL must not inherit), but nullable everywhere so NULL handling is exercised.
_SCHEMA = """
CREATE TABLE users (
    id INTEGER PRIMARY KEY, created_date TEXT, first_name TEXT, last_name TEXT, full_name TEXT,
    email TEXT COLLATE NOCASE, username TEXT, active INTEGER, last_login_date TEXT,
    street1 TEXT, street2 TEXT, city TEXT, state_province TEXT, postal_code TEXT, country TEXT,
    phone TEXT
)
"""


def _database(records: list[Mapping[str, object]]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute(_SCHEMA)
    for record in records:
        columns = [USER_COLUMNS[name] for name in record]
        values = [int(v) if isinstance(v, bool) else v for v in record.values()]
        conn.execute(
            f"INSERT INTO users ({', '.join(columns)}) VALUES ({', '.join('?' * len(values))})",
            values,
        )
    return conn


def _sql_ids(conn: sqlite3.Connection, query: str) -> set[int]:
    sql, params = to_sql(parse(query, USER_FIELDS), USER_FIELDS)
    return {row[0] for row in conn.execute(f"SELECT id FROM users WHERE {sql}", params)}


def _python_ids(records: list[Mapping[str, object]], query: str) -> set[int]:
    expr = parse(query, USER_FIELDS)
    return {int(r["id"]) for r in records if evaluate(expr, r)}  # type: ignore[call-overload]


def p(text: str) -> Expr:
    return parse(text, USER_FIELDS)


# --- parser -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("email = 'a@b.com'", Compare("email", "=", "a@b.com")),
        ("email != 'a'", Compare("email", "!=", "a")),
        ("email <> 'a'", Compare("email", "!=", "a")),
        ("id < 5", Compare("id", "<", 5)),
        ("id > -5", Compare("id", ">", -5)),
        ("id <= 2.5", Compare("id", "<=", 2.5)),
        ("id >= -0.25", Compare("id", ">=", -0.25)),
        ("active = true", Compare("active", "=", True)),
        ("active != FALSE", Compare("active", "!=", False)),
        ("active = 'true'", Compare("active", "=", True)),
        ("firstName LIKE 'J%'", Like("firstName", "J%")),
        ("firstName like 'J%'", Like("firstName", "J%")),
        ("id IN (1, 2,3)", In("id", (1, 2, 3))),
        ("city in ('Oslo')", In("city", ("Oslo",))),
        ("lastLoginDate IS NULL", IsNull("lastLoginDate")),
        ("lastLoginDate is null", IsNull("lastLoginDate")),
        ("`email` = 'x'", Compare("email", "=", "x")),
        ("lastName = 'O''Brien'", Compare("lastName", "=", "O'Brien")),
        ("lastName = ''''", Compare("lastName", "=", "'")),
        ("lastName = ''", Compare("lastName", "=", "")),
        ("city = 'a\\b'", Compare("city", "=", "a\\b")),
        ("city = 'Zürich 😀'", Compare("city", "=", "Zürich 😀")),
        ("createdDate >= '2014-01-15'", Compare("createdDate", ">=", "2014-01-15")),
        ("createdDate = '2015-01-01T00:00:00.000Z'", Compare("createdDate", "=", "2015-01-01")),
        ("createdDate = '2015-01-01T23:30:00-05:00'", Compare("createdDate", "=", "2015-01-02")),
        ("createdDate = '2015-01-01T00:30+0100'", Compare("createdDate", "=", "2014-12-31")),
        ("createdDate = '2015-01-01T10:00'", Compare("createdDate", "=", "2015-01-01")),
        ("createdDate LIKE '2015-%'", Like("createdDate", "2015-%")),
        ("  id=1  ", Compare("id", "=", 1)),
    ],
)
def test_parses_each_form(text: str, expected: object) -> None:
    assert p(text) == expected


def test_and_binds_tighter_than_or() -> None:
    a, b, c = (Compare("id", "=", n) for n in (1, 2, 3))
    assert p("id = 1 OR id = 2 AND id = 3") == Or((a, And((b, c))))
    assert p("id = 1 and id = 2 or id = 3") == Or((And((a, b)), c))


def test_parentheses_group_and_chains_flatten() -> None:
    a, b, c = (Compare("id", "=", n) for n in (1, 2, 3))
    assert p("(id = 1 OR id = 2) AND id = 3") == And((Or((a, b)), c))
    assert p("((id = 1)) AND (id = 2 AND id = 3)") == And((a, b, c))
    assert p("id = 1 OR id = 2 Or id = 3") == Or((a, b, c))


def test_keywords_need_a_word_boundary() -> None:
    with pytest.raises(CeqlError):
        p("id = 1 andid = 2")


@pytest.mark.parametrize(
    ("text", "position", "fragment"),
    [
        ("id =", 5, "found the end of the query"),
        ("id", 3, "an operator"),
        ("(id = 1", 8, "expected ')'"),
        ("id = 1)", 7, "found ')'"),
        ("id = 1; DROP TABLE users", 7, "found ';'"),
        ("email == 'x'", 8, "found '='"),
        ("email = 'abc", 9, "unterminated"),
        ("`email = 'x'", 1, "unterminated"),
        ("id in ()", 8, "found ')'"),
        ("email LIKE 5", 12, "expected a 'quoted' string"),
        ("id = 1 AND", 11, "field name"),
        ("id = 1 OR OR id = 2", 11, "found 'OR'"),
        ("", 1, "empty query"),
        ("   ", 1, "empty query"),
        ("id = 1 AND nope = 2", 12, "unknown field 'nope'"),
        ("EMAIL = 'x'", 1, "unknown field 'EMAIL'"),
        ("`password` = 'x'", 1, "unknown field 'password'"),
        ("active = 'x'", 10, "active is a boolean"),
        ("active < true", 8, "use = or !="),
        ("id LIKE '1%'", 1, "LIKE needs a text field"),
        ("email = 5", 9, "email is a string"),
        ("id = 'x'", 6, "id is an integer"),
        ("id = true", 6, "id is an integer"),
        ("createdDate = 2015", 15, "createdDate is a date"),
        ("createdDate = '2015-13-01'", 15, "createdDate is a date"),
        ("createdDate = '15 Jan 2014'", 15, "createdDate is a date"),
        ("id = 9223372036854775808", 6, "out of range"),
        ("id = 1.", 6, "found '1'"),
        ("email = 'a\x00'", 11, "NUL"),
    ],
)
def test_errors_name_what_and_where(text: str, position: int, fragment: str) -> None:
    with pytest.raises(CeqlError) as caught:
        p(text)
    assert caught.value.position == position
    assert fragment in caught.value.message
    assert str(caught.value) == f"{caught.value.message} at column {position}"


def test_limits() -> None:
    with pytest.raises(CeqlError, match="longer than") as caught:
        p("id = 1 OR " * 200 + "id = 1" + " " * MAX_LENGTH)
    assert caught.value.position == MAX_LENGTH + 1
    p("(" * MAX_DEPTH + "id = 1" + ")" * MAX_DEPTH)
    with pytest.raises(CeqlError, match="nest deeper"):
        p("(" * (MAX_DEPTH + 1) + "id = 1" + ")" * (MAX_DEPTH + 1))
    # Parentheses inside strings and backticks do not count as nesting.
    p("city = '" + "(" * 50 + "'")
    with pytest.raises(CeqlError, match="conditions"):
        p(" OR ".join(["id=1"] * (MAX_CONDITIONS + 1)))
    with pytest.raises(CeqlError, match="values"):
        p("id IN (" + ",".join(["1"] * 600) + ")")


def test_a_long_valid_query_compiles_and_runs() -> None:
    query = " OR ".join(f"id = {n}" for n in range(MAX_CONDITIONS))
    conn = _database([{"id": 7}, {"id": 1000}])
    assert _sql_ids(conn, query) == {7}


# --- SQL --------------------------------------------------------------------------------------


def test_sql_is_parameterised() -> None:
    sql, params = to_sql(p("active = true AND (id > 5 OR firstName LIKE 'J_%')"), USER_FIELDS)
    assert sql == ('("active" = ? AND ("id" > ? OR "first_name" LIKE ? ESCAPE \'\\\'))')
    assert params == [1, 5, "J\\_%"]
    sql, params = to_sql(p("email IN ('a', 'b') AND `lastLoginDate` IS NULL"), USER_FIELDS)
    assert sql == '("email" COLLATE BINARY IN (?, ?) AND "last_login_date" IS NULL)'
    assert params == ["a", "b"]


@pytest.mark.parametrize(
    "text",
    [
        "email = 'x'' OR 1=1 --'",
        "email = 'x''; DROP TABLE users; --'",
        "firstName LIKE '%'' OR ''1''=''1'",
        "id = 1; DROP TABLE users",
        "id = 1 OR 1=1",
        "`email' OR 1=1 --` = 'x'",
        "`email\" OR 1=1 --` = 'x'",
        "`email`; DELETE FROM users --` = 'x'",
        "id = 1 -- comment",
        "id = 1 /* c */",
        'email = "x"',
        "id = (SELECT 1)",
    ],
)
def test_injection_attempts_are_inert(text: str) -> None:
    conn = _database([{"id": 1, "email": "a@b.c"}, {"id": 2, "email": "x"}])
    try:
        expr = parse(text, USER_FIELDS)
    except CeqlError:
        pass
    else:
        sql, params = to_sql(expr, USER_FIELDS)
        rows = conn.execute(f"SELECT id FROM users WHERE {sql}", params).fetchall()
        assert rows == []  # each literal is a plain value matching nobody
    assert conn.execute("SELECT count(*) FROM users").fetchone() == (2,)


def test_text_compares_exactly_even_on_a_nocase_column() -> None:
    records: list[Mapping[str, object]] = [{"id": 1, "email": "Ann@X.org"}, {"id": 2}]
    conn = _database(records)
    for query, expected in [
        ("email = 'ann@x.org'", set()),
        ("email = 'Ann@X.org'", {1}),
        ("email IN ('ann@x.org')", set()),
        ("email > 'B'", set()),
        ("email LIKE 'ann@%'", {1}),  # LIKE folds ASCII case
    ]:
        assert _sql_ids(conn, query) == expected == _python_ids(records, query), query


# --- evaluation -------------------------------------------------------------------------------


def test_three_valued_logic() -> None:
    nobody: Mapping[str, object] = {"id": 1, "email": None}
    assert not evaluate(p("email = 'x'"), nobody)
    assert not evaluate(p("email != 'x'"), nobody)  # unknown, not true
    assert evaluate(p("email != 'x' OR id = 1"), nobody)
    assert not evaluate(p("email != 'x' AND id = 1"), nobody)
    assert evaluate(p("email IS NULL"), nobody)
    assert evaluate(p("city IS NULL"), nobody)  # missing counts as NULL
    assert not evaluate(p("city LIKE '%'"), nobody)
    assert not evaluate(p("city IN ('a')"), nobody)


def test_like_wildcards_and_case() -> None:
    record: Mapping[str, object] = {"id": 1, "firstName": "Émile_Zola%"}
    assert evaluate(p("firstName LIKE 'émile%'"), record) is False  # non-ASCII is exact
    assert evaluate(p("firstName LIKE 'ÉMILE%'"), record)
    assert evaluate(p("firstName LIKE '%_zola%%'"), record)
    assert not evaluate(p("firstName LIKE 'Émile_Zol_%'"), record)  # _ is literal
    assert evaluate(p("firstName LIKE '%'"), record)
    assert not evaluate(p("firstName LIKE ''"), record)


@pytest.mark.parametrize(
    ("value", "pattern", "matches"),
    [
        ("ab\x00cd", "ab", True),  # SQLite's LIKE stops at a NUL in the value
        ("ab\x00cd", "ab%", True),
        ("ab\x00cd", "ab%d", False),
        ("a", "a%a", False),  # prefix and suffix may not overlap
        ("aa", "a%a", True),
        ("aXbXc", "%b%c", True),
        ("abc", "%b", False),
        ("", "%", True),
        ("a\\b", "a\\b", True),
    ],
)
def test_like_edge_cases_match_sqlite(value: str, pattern: str, matches: bool) -> None:
    records: list[Mapping[str, object]] = [{"id": 1, "city": value}]
    query = f"city LIKE '{pattern}'"
    expected = {1} if matches else set()
    assert _sql_ids(_database(records), query) == _python_ids(records, query) == expected


# --- agreement between SQL and Python ---------------------------------------------------------

# Characters that stress quoting, escaping, LIKE and case folding. Stored values may hold a NUL
# (SQLite's LIKE stops there); queries may not (parse rejects it).
_TRICKY = "aAbBzZ%_\\' éÉßİı😀-:0129T"
_tricky_text = st.text(st.sampled_from(list(_TRICKY)), max_size=5)
_unicode_text = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=5
)
_text = st.one_of(_tricky_text, _unicode_text)
_stored_text = st.one_of(_text, st.text(st.sampled_from(list(_TRICKY) + ["\x00"]), max_size=5))
_day = st.dates(date(2014, 1, 1), date(2014, 1, 4))
_int64 = st.integers(-(2**63), 2**63 - 1)
_OPERATORS = ["=", "!=", "<>", "<", ">", "<=", ">="]
_LIKE_PATTERN = st.text(st.sampled_from(list(_TRICKY) + ["%"] * 6), max_size=6)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@st.composite
def _case(draw: st.DrawFn) -> tuple[list[Mapping[str, object]], str]:
    """Random users and a random query whose literals often hit the users' own values."""
    # A small pool of values per example keeps generation cheap and makes equal values likely.
    texts = draw(st.lists(_stored_text, min_size=1, max_size=4))
    ids = draw(st.lists(st.one_of(st.integers(-3, 3), _int64), unique=True, max_size=8))
    records: list[Mapping[str, object]] = []
    for user_id in ids:
        record: dict[str, object] = {"id": user_id}
        for name, field in USER_FIELDS.items():
            if field.kind == "string":
                record[name] = draw(st.sampled_from([None, *texts]))
            elif field.kind == "date":
                record[name] = draw(st.one_of(st.none(), _day.map(date.isoformat)))
        record["active"] = draw(st.sampled_from([None, True, False]))
        records.append(record)
    literals = {
        "string": st.one_of(st.sampled_from([t for t in texts if "\x00" not in t] or [""]), _text),
        "integer": _number(ids),
        "boolean": st.sampled_from(["true", "FALSE", "'true'", "'False'"]),
        "date": _date_literal,
    }
    query = draw(_condition(literals))
    for _ in range(draw(st.integers(0, 4))):
        # Grow the query one condition at a time, sometimes grouping what is there already.
        joiner = draw(st.sampled_from(["AND", "or", "Or", "and"]))
        query = draw(st.sampled_from([query, f"({query})"])) + f" {joiner} "
        query += draw(_condition(literals))
    return records, query


def _number(ids: list[int]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(ids or [0]).map(str),
        st.integers(-4, 4).map(str),
        _int64.map(str),
        st.tuples(st.sampled_from(["", "-"]), st.integers(0, 4), st.integers(0, 99)).map(
            lambda t: f"{t[0]}{t[1]}.{t[2]:02d}"
        ),
        st.floats(-1e30, 1e30).map(lambda f: f"{f:.6f}"),
    )


_date_literal = st.one_of(
    _day.map(date.isoformat),
    st.tuples(_day, st.integers(0, 23), st.sampled_from(["", "Z", "+05:30", "-0800", ".123Z"])).map(
        lambda t: f"{t[0].isoformat()}T{t[1]:02d}:15{':00' if t[2].startswith('.') else ''}{t[2]}"
    ),
).map(_quote)


@st.composite
def _condition(draw: st.DrawFn, literals: Mapping[str, st.SearchStrategy[str]]) -> str:
    name = draw(st.sampled_from(list(USER_FIELDS)))
    kind = USER_FIELDS[name].kind
    field = draw(st.sampled_from([name, f"`{name}`"]))
    literal = literals[kind].map(_quote) if kind == "string" else literals[kind]
    forms = ["compare", "in", "null"] + (["like"] if kind in ("string", "date") else [])
    form = draw(st.sampled_from(forms))
    if form == "null":
        return f"{field} {draw(st.sampled_from(['IS NULL', 'is null']))}"
    if form == "in":
        return f"{field} IN ({', '.join(draw(st.lists(literal, min_size=1, max_size=3)))})"
    if form == "like":
        return f"{field} LIKE {_quote(draw(_LIKE_PATTERN))}"
    ops = ["=", "!="] if kind == "boolean" else _OPERATORS
    return f"{field} {draw(st.sampled_from(ops))} {draw(literal)}"


_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(case=_case())
def test_sql_and_python_select_the_same_users(
    case: tuple[list[Mapping[str, object]], str],
) -> None:
    records, query = case
    conn = _database(records)
    selected = _sql_ids(conn, query)
    event(
        "selects "
        + ("none" if not selected else "all" if len(selected) == len(records) else "some")
    )
    assert selected == _python_ids(records, query)


@_SETTINGS
@given(
    value=_stored_text,
    pattern=_LIKE_PATTERN,
)
def test_like_matches_sqlite(value: str, pattern: str) -> None:
    records: list[Mapping[str, object]] = [{"id": 1, "city": value}]
    query = f"city LIKE {_quote(pattern)}"
    assert _sql_ids(_database(records), query) == _python_ids(records, query)


def _token_soup() -> Iterator[str]:
    yield from ["id", "`city`", "'x'", "''", "1", "-2.5", "true", "AND", "or", "(", ")", ","]
    yield from ["=", "!=", "<", ">=", "LIKE", "IN", "IS", "NULL", " ", "'", "`", ";", "--"]


@_SETTINGS
@given(
    text=st.one_of(
        st.text(max_size=40), st.lists(st.sampled_from(list(_token_soup()))).map(" ".join)
    )
)
def test_any_text_parses_or_raises_ceql_error(text: str) -> None:
    try:
        expr = parse(text, USER_FIELDS)
    except CeqlError as error:
        assert 1 <= error.position <= len(text) + 1
    else:
        to_sql(expr, USER_FIELDS)
