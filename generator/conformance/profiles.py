"""What the domain checks need to know about each API beyond its schemas: roles of operations.

Schemas stay in the contract; this only names which operation lists, creates, changes or deletes
users, which path parameter carries a user or an account, and how the fields are spelt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.openapi.walk import iter_operations

from .per_document import per_document


@dataclass(frozen=True)
class ApiProfile:
    name: str
    user_params: frozenset[str]  # path parameters that carry a user id
    account_param: str | None  # path parameter that carries an account id
    id_field: str
    email_field: str
    first_field: str
    last_field: str
    full_field: str | None  # derived "first last" field, when the API has one
    secret_field: str | None  # a credential only some responses may carry
    secret_operations: frozenset[str]  # operations that always may return it (create)
    create_operation: str  # the create a live run uses to make its own users
    created_user_pointer: tuple[str, ...]  # where the new user sits in the create response
    list_operations: frozenset[str]
    page_params: frozenset[str]  # query parameters that select a page
    get_operations: frozenset[str]
    update_operations: frozenset[str]  # PATCH / PUT of a user
    delete_operations: frozenset[str]
    include_inactive: dict[str, str]  # extra query that makes a read see deactivated users
    unverifiable_fields: frozenset[str]  # sent but read back in another shape (roles)
    other_create_operations: frozenset[str] = frozenset()  # further creates of a user
    # How to find a user by email when a create answers without its id: the search operation
    # and where the email goes in its body.
    email_search_operation: str | None = None
    email_search_pointer: tuple[str, ...] = ()
    # The same search with the text in a query parameter (Tyk's deprecated GET form).
    query_search_operation: str | None = None
    query_search_param: str | None = None
    revoke_operations: frozenset[str] = frozenset()  # deactivate a user, keeping the record
    current_user_operations: frozenset[str] = frozenset()  # the caller reads themself
    active_field: str = "active"
    access_key_field: str | None = None  # the user's own API credential, when returned

    @property
    def create_operations(self) -> frozenset[str]:
        return self.other_create_operations | {self.create_operation}

    @property
    def search_operations(self) -> frozenset[str]:
        found = (self.email_search_operation, self.query_search_operation)
        return frozenset(name for name in found if name is not None)

    def full_name(self, user: dict[str, object]) -> str | None:
        first, last = user.get(self.first_field), user.get(self.last_field)
        if isinstance(first, str) and isinstance(last, str):
            return f"{first} {last}"
        return None


CLOUD_ELEMENTS = ApiProfile(
    name="cloud-elements",
    user_params=frozenset({"emailOrId", "userId"}),
    account_param="id",
    id_field="id",
    email_field="email",
    first_field="firstName",
    last_field="lastName",
    full_field="fullName",
    secret_field="secret",
    secret_operations=frozenset({"createAccountUser", "createOrganizationUser"}),
    create_operation="createAccountUser",
    created_user_pointer=(),
    list_operations=frozenset({"listUsers", "listAccountUsers", "listOrganizationUsers"}),
    page_params=frozenset({"nextPage", "offset"}),
    get_operations=frozenset({"getUser", "getAccountUser", "getOrganizationUser"}),
    update_operations=frozenset(
        {"updateUser", "updateAccountUser", "replaceAccountUser", "updateOrganizationUser"}
    ),
    delete_operations=frozenset({"deleteUser", "deleteAccountUser", "deleteOrganizationUser"}),
    include_inactive={"includeInactive": "true"},
    unverifiable_fields=frozenset({"roles"}),
    other_create_operations=frozenset({"createOrganizationUser"}),
)

TYK_DASHBOARD = ApiProfile(
    name="tyk-dashboard",
    user_params=frozenset({"userId"}),
    account_param=None,
    id_field="id",
    email_field="email_address",
    first_field="first_name",
    last_field="last_name",
    full_field=None,
    secret_field=None,
    secret_operations=frozenset(),
    create_operation="createUser",
    created_user_pointer=("Meta",),
    list_operations=frozenset({"listUsers"}),
    page_params=frozenset({"p"}),
    get_operations=frozenset({"getUser"}),
    update_operations=frozenset({"updateUser"}),
    delete_operations=frozenset({"deleteUser"}),
    include_inactive={},
    unverifiable_fields=frozenset(),
    email_search_operation="searchUsers",
    email_search_pointer=("filters", "query"),
    query_search_operation="searchUsersByQuery",
    query_search_param="q",
    revoke_operations=frozenset({"revokeUser"}),
    current_user_operations=frozenset({"getCurrentUser"}),
    access_key_field="access_key",
)

PROFILES = {profile.name: profile for profile in (CLOUD_ELEMENTS, TYK_DASHBOARD)}


@per_document
def profile_for_document(spec: dict[str, Any]) -> ApiProfile:
    """The profile of the API whose contract `spec` is: the one whose create operation it
    declares (a check judging an answer outside a suite run has no run to ask)."""
    declared = {op.node.get("operationId") for op in iter_operations(spec)}
    found = [profile for profile in PROFILES.values() if profile.create_operation in declared]
    if len(found) != 1:
        raise ValueError(f"not the contract of one of {sorted(PROFILES)}")
    return found[0]
