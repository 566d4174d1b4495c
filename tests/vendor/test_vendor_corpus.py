"""(a) every vendor example validates against the contract, (b) every vendor sample request is
accepted by the reference server with the documented status, (c) every vendor test-suite
assertion holds against it. One test per fixture entry; see corpus.py for the format."""

from __future__ import annotations

import json
from typing import Any

import pytest
from corpus import Entry, entries_of, load_corpus
from runner import StepRunner
from server_harness import ResponseChecker, RunningServer


def _params(kind: str) -> list[Any]:
    """One param per entry; a knowingly left-out entry is a skip naming where and why (-ra)."""
    return [
        pytest.param(
            entry,
            id=entry.test_id,
            marks=[
                pytest.mark.skip(
                    reason=f"vendor fact left out, {entry.test_id}: {entry.skip_reason}"
                )
            ]
            if entry.skip_reason
            else [],
        )
        for entry in entries_of(kind)
    ]


def test_the_corpus_covers_every_api(specs: dict[str, Any]) -> None:
    covered = {entry.api for entry in load_corpus()}
    assert covered <= set(specs), f"fixtures for unknown APIs: {covered - set(specs)}"
    assert "tyk-dashboard" in covered


@pytest.mark.parametrize("entry", _params("response-example"))
def test_vendor_response_example_validates(entry: Entry, specs: dict[str, Any]) -> None:
    media_type = entry.data.get("media_type", "application/json")
    ResponseChecker(specs[entry.api]).check(
        entry.data["operation"],
        entry.data["status"],
        {"content-type": media_type},
        json.dumps(entry.data["body"]).encode(),
    )


def _run(entry: Entry, server: RunningServer, spec: dict[str, Any], **options: bool) -> None:
    runner = StepRunner(server, entry.api, spec)
    try:
        runner.run(entry, **options)
    finally:
        runner.close()


@pytest.mark.parametrize("entry", _params("request-sample"))
def test_vendor_request_sample_is_accepted(
    entry: Entry, specs: dict[str, Any], fresh_server: RunningServer
) -> None:
    _run(entry, fresh_server, specs[entry.api], check_request_bodies=True)


@pytest.mark.parametrize("entry", _params("assertion"))
def test_vendor_assertion_holds(
    entry: Entry, specs: dict[str, Any], fresh_server: RunningServer
) -> None:
    _run(entry, fresh_server, specs[entry.api])
