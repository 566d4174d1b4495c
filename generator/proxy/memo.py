"""Verdicts remembered for byte-identical exchanges: repeated traffic is judged once.

Clients repeat themselves (polling, retries, test fixtures, a load test): an exchange identical
in every byte to one judged before, with the run's context unchanged, gets the same verdict, so
it is not judged again. Every exchange is still counted, covered and each of its violations
reported; only the work of reaching the verdict is saved.
"""

from __future__ import annotations

import hashlib
import pickle
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
    read = (
        context,
        ex.method,
        ex.status,
        ex.raw_path,
        ex.query_string,
        ex.headers,
        ex.response_headers,
        ex.unreachable,
        ex.invalid_answer,
        ex.cut_short,
        ex.request_cut,
        ex.malformed,
        ex.body_size,
        ex.response_size,
        ex.body,
        ex.response_body,
    )
    # Pickled: its bytes read back as the very same values, so two exchanges that differ in
    # anything never give the same bytes, and pickling costs half of what a repr does.
    pickled = pickle.dumps(read, protocol=pickle.HIGHEST_PROTOCOL)
    return hashlib.blake2b(pickled, digest_size=24).digest()


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
