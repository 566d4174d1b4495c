"""incoming.header_dict and query_dict answer every lookup as Starlette's Headers and QueryParams
do, which the server used before them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.datastructures import Headers, QueryParams

from generator.server.incoming import header_dict, query_dict

# Query strings as clients write them, and as they should not: escapes (valid, broken, UTF-8 and
# not), `+`, `=` and `&` in odd places, bytes outside ASCII, empty parts.
_QUERY_PIECES = st.sampled_from(
    ["a", "where", "=", "&", "&&", "+", "%20", "%2B", "%3D", "%26", "%", "%zz", "%C3%A9", "%E9"]
    + ["é", "'", " ", ";", "pageSize", "50", "x=1", "=v", "a=b=c"]
)
_QUERY = st.one_of(
    st.lists(_QUERY_PIECES, max_size=12).map(lambda parts: "".join(parts).encode("utf-8")),
    st.binary(max_size=40),
)
_NAMES = st.sampled_from([b"authorization", b"content-type", b"x-a", b"elements-user-password"])
_HEADERS = st.lists(st.tuples(_NAMES, st.binary(max_size=12)), max_size=8)


@settings(max_examples=500)
@given(raw=_QUERY)
def test_query_dict_is_query_params(raw: bytes) -> None:
    params = QueryParams(raw)
    found = query_dict(raw)
    assert set(found) == set(params.keys())
    for name, value in found.items():
        assert params.get(name) == value


def test_query_dict_decodes_as_starlette_does() -> None:
    raw = b"where=city%20%3D%20%27Denver%27&pageSize=5&pageSize=50&flag&a+b=c+d"
    assert query_dict(raw) == {
        "where": "city = 'Denver'",
        "pageSize": "50",
        "flag": "",
        "a b": "c d",
    }
    assert query_dict(b"") == {}


@settings(max_examples=500)
@given(raw=_HEADERS)
def test_header_dict_is_headers(raw: list[tuple[bytes, bytes]]) -> None:
    headers = Headers(raw=raw)
    found = header_dict(raw)
    assert set(found) == {name.decode("latin-1") for name, _ in raw}
    for name in found:
        assert headers.get(name) == found[name]  # the first of a repeated header
