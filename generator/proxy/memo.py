"""Verdicts remembered for byte-identical exchanges: repeated traffic is judged once.

Clients repeat themselves (polling, retries, test fixtures, a load test): an exchange identical
in every byte to one judged before, with the run's context unchanged, gets the same verdict, so
it is not judged again. Every exchange is still counted, covered and each of its violations
reported; only the work of reaching the verdict is saved.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from .exchange import Exchange

MEMO_ENTRIES = 512
# Only small exchanges are kept (a verdict holds the exchange's parsed bodies).
MEMO_BYTES = 64 << 10
_ABSENT = object()


def fingerprint(ex: Exchange, context: tuple[int, ...]) -> bytes | None:
    """A digest of everything the checks read of an exchange, or None when it is too big to
    remember. `context` is the version of the run state the checks also read."""
    if len(ex.body) + len(ex.response_body) > MEMO_BYTES:
        return None
    head = repr(
        (
            ex.method,
            context,
            ex.status,
            ex.raw_path,
            ex.query_string,
            ex.headers,
            ex.response_headers,
            ex.unreachable,
            ex.cut_short,
            ex.body_size,
            ex.response_size,
            len(ex.body),
        )
    ).encode()
    # The head's length, and in it the request body's: no two exchanges give the same stream.
    digest = hashlib.blake2b(b"%d:%s" % (len(head), head), digest_size=24)
    digest.update(ex.body)
    digest.update(ex.response_body)
    return digest.digest()


class VerdictMemo:
    def __init__(self, entries: int = MEMO_ENTRIES) -> None:
        self.entries = entries
        # Ordered: the oldest leaves in O(1) (a dict's first key is found by skipping the slots
        # of the keys removed before it, slower with every eviction).
        self._verdicts: OrderedDict[bytes, Any] = OrderedDict()
        self.hits = 0

    def verdict(self, key: bytes | None, judge: Callable[[], Any]) -> Any:
        """The verdict remembered under `key`, else `judge()`'s (remembered when key is set)."""
        if key is None:
            return judge()
        found = self._verdicts.get(key, _ABSENT)
        if found is not _ABSENT:
            self.hits += 1
            return found
        verdict = judge()
        if len(self._verdicts) >= self.entries:
            self._verdicts.popitem(last=False)  # the oldest
        self._verdicts[key] = verdict
        return verdict
