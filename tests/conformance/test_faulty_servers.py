"""Each deliberately broken variant of the reference server makes the suite fail, naming the
check that catches it; the same variants make `make bench` print the score."""

from __future__ import annotations

import pytest
from faulty_servers import VARIANTS, Variant, focused_run, running_variant

from generator.conformance.checks import DOMAIN_CHECKS

pytestmark = pytest.mark.slow  # whole runs of the suite: scheduled first (tests/conftest.py)

DOMAIN = {check.__name__ for check in DOMAIN_CHECKS}


@pytest.mark.parametrize("variant", VARIANTS, ids=[variant.name for variant in VARIANTS])
def test_suite_names_the_fault(variant: Variant) -> None:
    with running_variant(variant.name) as (_, credentials):
        result = focused_run(variant, credentials)
    assert not result.ok
    assert variant.expected_check in result.failed_checks, sorted(result.failed_checks)
    # A domain check firing on a fault it does not name would fire on a correct server too.
    other = (result.failed_checks & DOMAIN) - {variant.expected_check} - variant.also
    assert not other, [f.message for _, f in result.failures if f.check in other]


def test_there_are_enough_variants() -> None:
    assert len(VARIANTS) >= 8
    assert len({variant.expected_check for variant in VARIANTS}) >= 8
