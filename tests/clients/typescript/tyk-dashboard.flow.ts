// Create, get, list, search, update, revoke and delete a user with the generated client only.
// Run as: node dist/tyk-dashboard.flow.js <base url> <access key>
import { createApiClient, type UserCreate } from "./client.js";

declare const process: { argv: string[] };

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new globalThis.Error(message);
}

// Never called: each line below must fail to type-check, or tsc reports an unused directive.
export function mustNotCompile(client: ReturnType<typeof createApiClient>): void {
  // @ts-expect-error a create body needs an email address
  const body: UserCreate = { first_name: "a", last_name: "b" };
  // @ts-expect-error the path does not exist in the contract
  void client.GET("/api/nowhere");
  // @ts-expect-error updates go through PUT, not PATCH
  void client.PATCH("/api/users/{userId}", { params: { path: { userId: "x" } }, body });
}

const [baseUrl, authorization] = process.argv.slice(2);
const client = createApiClient(baseUrl, authorization);
const email = `ts-${Date.now()}@example.com`;
const body: UserCreate = { first_name: "Type", last_name: "Script", email_address: email };

const created = await client.POST("/api/users", { body });
check(created.data, `create answered ${created.response.status}`);
const meta = created.data.Meta;
check(typeof meta === "object" && meta !== null, "create did not answer the new user in Meta");
const userId = meta.id;
const path = { params: { path: { userId } } };

const got = await client.GET("/api/users/{userId}", path);
check(got.data?.email_address === email, `get answered ${got.response.status}`);

const listed = await client.GET("/api/users", {});
check(listed.data?.users?.some((u) => u.id === userId), "the list missed the user");
const page = await client.GET("/api/users", { params: { query: { p: 1 } } });
check(page.data?.users?.length === 10 && page.data.pages >= 1, "page 1 is not 10 users");
const found = await client.POST("/api/users/search", { body: { filters: { query: email } } });
check(found.data?.users?.[0]?.id === userId, `search answered ${found.response.status}`);
const byQuery = await client.GET("/api/users/search", { params: { query: { q: email } } });
check(byQuery.data?.users?.[0]?.id === userId, `GET search answered ${byQuery.response.status}`);

const updated = await client.PUT("/api/users/{userId}", { ...path, body: { last_name: "Changed" } });
// v0.9 (and the reference server) answer the user, 5.x a status envelope.
const answer = updated.data;
check(answer && "id" in answer && answer.last_name === "Changed", "update did not answer the user");

const revoked = await client.PUT("/api/users/{userId}/actions/revoke", path);
check(revoked.data?.Message === "User revoked", `revoke answered ${revoked.response.status}`);
const me = await client.GET("/api/users/me", {});
check(me.data?.id !== undefined && me.data.id !== userId, `me answered ${me.response.status}`);

const deleted = await client.DELETE("/api/users/{userId}", path);
check(deleted.data?.Message === "User deleted", `delete answered ${deleted.response.status}`);

const gone = await client.GET("/api/users/{userId}", path);
check(gone.response.status === 404 && gone.error?.Status === "Error", "a deleted user was found");
console.log("tyk-dashboard flow ok");
