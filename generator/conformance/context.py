"""The state one suite run shares between its generation hooks and its domain checks.

Schemathesis registers checks globally, so the checks find the run they belong to through
`current()`; the runner installs a SuiteContext before the engine starts and removes it after.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from typing import Any

import httpx

from .profiles import ApiProfile


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
    _walks: dict[str, int] = field(default_factory=dict)
    _lock: threading.RLock = field(default_factory=threading.RLock)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.http = httpx.Client(base_url=self.base_url, timeout=30, headers=self.headers)

    def close(self) -> None:
        self.http.close()

    # --- the pool of existing users -------------------------------------------------------
    def remember(self, user: KnownUser) -> None:
        with self._lock:
            known = self.users.get(str(user.id))
            if known is not None:
                user.password = user.password or known.password
                user.account = user.account if user.account is not None else known.account
            self.users[str(user.id)] = user

    def forget(self, user_id: Any) -> None:
        with self._lock:
            self.users.pop(str(user_id), None)

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
                for key, user in sorted(self.users.items())
                if not (mutating and key in self.protected_ids)
                and not (mutating and self.mutate_only_created and not user.created)
                and not (deleting and user.reserved)
            ]
            return self.rng.choice(candidates) if candidates else None

    def chance(self, probability: float) -> bool:
        with self._lock:
            return self.rng.random() < probability

    def password_of(self, user_id: Any) -> str | None:
        user = self.find(user_id)
        if user is not None and user.password is not None:
            return user.password
        return self.default_password

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
