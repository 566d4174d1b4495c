"""Each deliberately broken variant of the reference server makes the suite fail, naming the
check that catches it; the same variants make `make bench` print the score."""

from __future__ import annotations

import pytest
from faulty_servers import VARIANTS, Variant, running_variant

from generator.conformance.runner import run_suite

SEED = 7


@pytest.mark.parametrize("variant", VARIANTS, ids=[variant.name for variant in VARIANTS])
def test_suite_names_the_fault(variant: Variant) -> None:
    with running_variant(variant.name) as (_, credentials):
        result = run_suite(
            variant.api,
            credentials=credentials,
            seed=SEED,
            deterministic=True,
            max_examples=10,
            phases=variant.phases,
            operations=variant.operations,
        )
    assert not result.ok
    assert variant.expected_check in result.failed_checks, sorted(result.failed_checks)


def test_there_are_enough_variants() -> None:
    assert len(VARIANTS) >= 8
    assert len({variant.expected_check for variant in VARIANTS}) >= 8
