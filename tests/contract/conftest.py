"""The contract suite of this repository: a thin user of the usersapi pytest plugin.

Without options it tests a reference server started for the run; with the plugin's options
(`--usersapi-api`, `--usersapi-base-url`, `--usersapi-header`, ...) a live server, in which case
the plugin's own tests run and these step aside.
"""

from __future__ import annotations

from typing import Any

import pytest

SEED = 1
MAX_EXAMPLES = 5  # per operation and phase: a quick gate; --usersapi-max-examples for more


@pytest.fixture(scope="session")
def usersapi_defaults() -> dict[str, Any]:
    return {"seed": SEED, "max_examples": MAX_EXAMPLES}
