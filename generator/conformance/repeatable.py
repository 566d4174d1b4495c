"""Runs that repeat: the same seed draws the same cases, whatever else the process imported.

Hypothesis mixes into its draws string and number literals harvested from every "local"
module loaded in the process (`hypothesis.internal.conjecture.providers._get_local_constants`,
any module outside site-packages and the standard library). Which modules are loaded differs
between the CLI, pytest collection and an installed wheel, so the pool, and with it the cases a
seed draws, differed too; and a harvested literal such as `application/json` can turn up as a
password. Hypothesis has no setting for it, so the pool is replaced with an empty one; the
global pool of well-known edge values (fixed per Hypothesis version) stays.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from hypothesis.internal.conjecture import providers

_EMPTY = providers.Constants()


def _no_local_constants() -> providers.Constants:
    return _EMPTY


def no_local_constants() -> None:
    """Switch the harvesting off for this process (idempotent)."""
    if providers._get_local_constants is not _no_local_constants:
        providers._get_local_constants = _no_local_constants
        providers.CONSTANTS_CACHE.cache.clear()  # pools already built from harvested literals


def cases_digest(cases: Iterable[Any]) -> str:
    """One hash of everything sent, order-independent (workers finish in any order)."""
    lines = sorted(json.dumps(case, sort_keys=True, default=repr) for case in cases)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]
