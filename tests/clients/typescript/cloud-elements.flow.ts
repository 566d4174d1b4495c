// Create, get, list with a CEQL filter, update and delete a user with the generated client only,
// through the account's paths and through /organizations/users (the default account's users).
// Run as: node dist/cloud-elements.flow.js <base url> <Authorization header> <account id>
import { createApiClient, type User, type UserCreate } from "./client.js";

declare const process: { argv: string[] };

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new globalThis.Error(message);
}

// Never called: each line below must fail to type-check, or tsc reports an unused directive.
export function mustNotCompile(client: ReturnType<typeof createApiClient>): void {
  // @ts-expect-error a create body needs an email
  const body: UserCreate = { firstName: "a", lastName: "b", password: "c" };
  // @ts-expect-error the path does not exist in the contract
  void client.GET("/nowhere");
  // @ts-expect-error the account id is a number
  void client.POST("/accounts/{id}/users", { params: { path: { id: "x" } }, body });
}

const [baseUrl, authorization, account] = process.argv.slice(2);
const client = createApiClient(baseUrl, authorization);
const email = `ts-${Date.now()}@example.com`;
const body: UserCreate = { firstName: "Type", lastName: "Script", email, password: "password1" };

const created = await client.POST("/accounts/{id}/users", {
  params: { path: { id: Number(account) } },
  body,
});
check(created.data, `create answered ${created.response.status}`);
const user: User = created.data;
check(user.email === email && user.secret, "create lost the email or the secret");

const got = await client.GET("/users/{emailOrId}", { params: { path: { emailOrId: email } } });
check(got.data?.id === user.id, `get answered ${got.response.status}`);

const listed = await client.GET("/users", { params: { query: { where: `email = '${email}'` } } });
check(listed.data?.length === 1 && listed.data[0].id === user.id, "the filter missed the user");
check(listed.response.headers.get("Elements-Returned-Count") === "1", "no returned count");

const updated = await client.PATCH("/users/{emailOrId}", {
  params: { path: { emailOrId: user.id } },
  body: { lastName: "Changed" },
});
check(updated.data?.fullName === "Type Changed", `update answered ${updated.response.status}`);

const deleted = await client.DELETE("/users/{emailOrId}", {
  params: { path: { emailOrId: user.id } },
});
check(deleted.response.status === 200, `delete answered ${deleted.response.status}`);

const gone = await client.GET("/users/{emailOrId}", { params: { path: { emailOrId: email } } });
check(gone.response.status === 404 && gone.error?.requestId, "a deleted user was found");
const orgEmail = `ts-org-${Date.now()}@example.com`;
const orgCreated = await client.POST("/organizations/users", {
  body: { firstName: "Org", lastName: "Script", email: orgEmail },
});
check(orgCreated.data?.email === orgEmail, `org create answered ${orgCreated.response.status}`);
const orgUser: User = orgCreated.data;
const orgPath = { params: { path: { emailOrId: orgUser.id } } };

const orgGot = await client.GET("/organizations/users/{emailOrId}", {
  params: { path: { emailOrId: orgEmail } },
});
check(orgGot.data?.id === orgUser.id, `org get answered ${orgGot.response.status}`);

const orgListed = await client.GET("/organizations/users", {
  params: { query: { where: `email = '${orgEmail}'` } },
});
check(orgListed.data?.length === 1 && orgListed.data[0].id === orgUser.id, "org list missed it");

const orgUpdated = await client.PATCH("/organizations/users/{emailOrId}", {
  ...orgPath,
  body: { lastName: "Changed" },
});
check(orgUpdated.data?.fullName === "Org Changed", `org update: ${orgUpdated.response.status}`);

const orgDeleted = await client.DELETE("/organizations/users/{emailOrId}", orgPath);
check(orgDeleted.response.status === 200, `org delete answered ${orgDeleted.response.status}`);
console.log("cloud-elements flow ok");
