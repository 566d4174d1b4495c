"""The state one suite run shares between its generation hooks and its domain checks.

Schemathesis registers checks globally, so the checks find the run they belong to through
`current()`; the runner installs a SuiteContext before the engine starts and removes it after.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from typing import Any

from .canaries import new_canary
from .findings import crash_text
from .probe_http import probe_client
from .profiles import ApiProfile

FALLBACK_EMAIL = "jane@acmedata.example"  # what a hook aims at before the run knows any user


@dataclass
class KnownUser:
    id: Any  # int for Cloud Elements, 24 hex chars for Tyk
    email: str | None = None
    account: int | None = None
    password: str | None = None
    created: bool = False  # created by this run
    reserved: bool = False  # made by the suite itself on a live server: changed, deleted at the end


@dataclass
class SuiteContext:
    profile: ApiProfile
    base_url: str
    headers: dict[str, str]
    second_org_headers: dict[str, str] = field(default_factory=dict)
    accounts: list[int] = field(default_factory=list)
    protected_ids: set[str] = field(default_factory=set)  # the callers themselves
    default_password: str | None = None  # the demo users' shared password, when known
    seed: int = 0
    mutate_only_created: bool = False
    walk_budget: int = 6  # paging walks per list operation (each costs several requests)
    users: dict[str, KnownUser] = field(default_factory=dict)
    emails_made: int = 0
    made: set[str] = field(default_factory=set)  # ids of every user this run created
    deleted: set[str] = field(default_factory=set)  # ids of every user this run deleted
    # Every id or email a DELETE of this run was aimed at, recorded before it is sent: a user
    # that vanished may have been deleted by another worker, one that did not was never stored.
    deleting: set[str] = field(default_factory=set)
    canaries: set[str] = field(default_factory=set)  # every secret value the run sent
    probes: set[str] = field(default_factory=set)  # ids of missing-id probe cases
    # Ids in the order the run first met them: server-made ids (Tyk's are random) get a stable
    # name, so a seed picks the same users and two runs can compare the cases they sent.
    aliases: dict[str, str] = field(default_factory=dict)
    # (case id, check name) -> what a check that could not finish ran into
    crashes: dict[tuple[str, str], str] = field(default_factory=dict)
    _walks: dict[str, int] = field(default_factory=dict)
    _lock: threading.RLock = field(default_factory=threading.RLock)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.http = probe_client(self.base_url, self.headers)

    def close(self) -> None:
        self.http.close()

    # --- the pool of existing users -------------------------------------------------------
    def remember(self, user: KnownUser) -> None:
        with self._lock:
            self.aliases.setdefault(str(user.id), f"user#{len(self.aliases)}")
            if user.created:
                self.made.add(str(user.id))
            known = self.users.get(str(user.id))
            if known is not None:
                user.password = user.password or known.password
                user.account = user.account if user.account is not None else known.account
            self.users[str(user.id)] = user

    def forget(self, user_id: Any) -> None:
        with self._lock:
            self.users.pop(str(user_id), None)
            self.deleted.add(str(user_id))

    def aim_delete(self, targets: list[Any]) -> None:
        """Record a DELETE about to be sent, under every name its user goes by (id and email)."""
        names = list(targets)
        for target in targets:
            known = self.find(target)
            if known is not None:
                names += [name for name in (known.id, known.email) if name is not None]
        with self._lock:
            self.deleting.update(str(name).casefold() for name in names)

    def delete_aimed_at(self, *targets: Any) -> bool:
        with self._lock:
            return any(str(target).casefold() in self.deleting for target in targets)

    def find(self, user_id: Any) -> KnownUser | None:
        with self._lock:
            key = str(user_id)
            if key in self.users:
                return self.users[key]
            lowered = key.lower()  # an email address in the path
            for user in self.users.values():
                if user.email and user.email.lower() == lowered:
                    return user
        return None

    def pick_user(self, *, mutating: bool, deleting: bool = False) -> KnownUser | None:
        """A known user; never one of the callers when the request would change it."""
        with self._lock:
            candidates = [
                user
                for key, user in sorted(self.users.items(), key=self._meeting_order)
                if not (mutating and key in self.protected_ids)
                and not (mutating and self.mutate_only_created and not user.created)
                and not (deleting and user.reserved)
            ]
            return self.rng.choice(candidates) if candidates else None

    def _meeting_order(self, item: tuple[str, KnownUser]) -> int:
        return int(self.aliases[item[0]].removeprefix("user#"))

    def issue_canary(self) -> str:
        """A fresh secret for one field or header of one case, recorded for the leak check."""
        with self._lock:
            canary = new_canary(self.rng)
            self.canaries.add(canary)
            return canary

    def may_change(self, user_id: Any) -> bool:
        """Whether a write may go to this user: never the caller; on a live server only users
        the run made (deleted ones included: writing to those must get a 404)."""
        user = self.find(user_id)
        ids = {str(user_id)} | ({str(user.id)} if user is not None else set())
        if ids & self.protected_ids:
            return False
        return not self.mutate_only_created or bool(ids & self.made)

    def chance(self, probability: float) -> bool:
        with self._lock:
            return self.rng.random() < probability

    def password_of(self, user_id: Any) -> str | None:
        user = self.find(user_id)
        if user is not None and user.password is not None:
            return user.password
        return self.default_password

    def note_crash(self, case_id: str, check: str, error: Exception) -> None:
        with self._lock:
            self.crashes[case_id, check] = crash_text(error)

    def take_walk(self, operation_id: str) -> bool:
        """Whether this list operation may still spend a paging walk."""
        with self._lock:
            used = self._walks.get(operation_id, 0)
            if used >= self.walk_budget:
                return False
            self._walks[operation_id] = used + 1
            return True


_current: SuiteContext | None = None


def install(ctx: SuiteContext | None) -> None:
    global _current
    _current = ctx


def current() -> SuiteContext | None:
    return _current
