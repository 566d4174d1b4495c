"""Accepted deviations of a live server: `--waivers FILE`, applied to a finished run.

```yaml
waivers:
  - check: response_schema_conformance
    operation: getUser            # operationId, or "GET /api/users/{userId}"
    reason: staging still runs 5.2, which omits org_id (TICKET-123)
    expires: 2027-03-31           # optional; after it the run fails until the entry goes
```

A waived failure stays in every report, marked as waived with its reason; it only stops failing
the run. A waiver that matched nothing is reported (the deviation may be fixed: delete it); an
expired one fails the run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .results import SuiteResult
from .targets import SuiteSetupError


@dataclass(frozen=True)
class Waiver:
    check: str
    operation: str
    reason: str
    expires: dt.date | None = None
    where: str = ""  # FILE:entry, for messages

    def matches(self, check: str, operation_id: str, label: str) -> bool:
        return self.check == check and self.operation in (operation_id, label)

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and today > self.expires

    def describe(self) -> str:
        return f"{self.check} on {self.operation} ({self.where})"


def _date(value: Any, where: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise SuiteSetupError(f"{where}: expires {value!r} is not a date (YYYY-MM-DD)") from None


def load_waivers(path: str | Path) -> list[Waiver]:
    """The waivers of a YAML file; a malformed file is one clear error naming the entry."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SuiteSetupError(f"cannot read waivers {path}: {error.strerror}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise SuiteSetupError(f"{path}{line}: not valid YAML") from None
    entries = data.get("waivers") if isinstance(data, dict) else data
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise SuiteSetupError(f"{path}: expected a list of waivers under `waivers:`")
    waivers = []
    for number, entry in enumerate(entries, start=1):
        where = f"{path}: waiver {number}"
        if not isinstance(entry, dict):
            raise SuiteSetupError(f"{where}: expected check, operation, reason (and expires)")
        missing = [key for key in ("check", "operation", "reason") if not entry.get(key)]
        if missing:
            raise SuiteSetupError(f"{where}: missing {', '.join(missing)}")
        unknown = sorted(set(entry) - {"check", "operation", "reason", "expires"})
        if unknown:
            raise SuiteSetupError(f"{where}: unknown key(s) {', '.join(unknown)}")
        waivers.append(
            Waiver(
                check=str(entry["check"]),
                operation=str(entry["operation"]),
                reason=str(entry["reason"]),
                expires=_date(entry.get("expires"), where),
                where=where,
            )
        )
    return waivers


def apply_waivers(result: SuiteResult, waivers: list[Waiver], today: dt.date | None = None) -> None:
    """Mark the failures waivers accept; report expired and unmatched waivers."""
    today = today or dt.date.today()
    used: set[Waiver] = set()
    for op, record in result.all_failures:
        for waiver in waivers:
            if waiver.matches(record.check, op.operation_id, op.label):
                used.add(waiver)
                if not waiver.expired(today):
                    until = f" (until {waiver.expires})" if waiver.expires else ""
                    record.waived = waiver.reason + until
                    break
    for waiver in waivers:
        if waiver.expired(today):
            result.errors.append(
                f"waiver expired on {waiver.expires}: {waiver.describe()}; "
                "fix the deviation or renew the waiver"
            )
        elif waiver not in used:
            result.waiver_notes.append(
                f"matched no failure: {waiver.describe()}; remove it if the deviation is fixed"
            )
