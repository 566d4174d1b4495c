"""`--shard K/N`: the K-th of N disjoint slices of an API's operations, for CI matrices.

Operations are dealt round-robin in the order of their sorted operationIds, so a slice depends
only on the contract (not on the run, the seed or the machine) and the slices differ in size by
one operation at most. `usersapi report merge` puts the slices' results back together.
"""

from __future__ import annotations

from typing import Any

from generator.openapi.walk import iter_operations


class ShardError(ValueError):
    """A --shard value that is not K/N with 1 <= K <= N."""


def parse_shard(text: str) -> tuple[int, int]:
    index, sep, count = text.partition("/")
    try:
        k, n = int(index), int(count)
    except ValueError:
        k = n = 0
    if not sep or not 1 <= k <= n:
        raise ShardError(f"--shard {text!r} must be K/N with 1 <= K <= N, e.g. 1/4")
    return k, n


def shard_operations(spec: dict[str, Any], k: int, n: int) -> list[str]:
    """The operationIds of slice k (1-based) of n."""
    ids = sorted(op.node["operationId"] for op in iter_operations(spec) if "operationId" in op.node)
    return ids[k - 1 :: n]
