/**
 * Bad input: malformed configurations (createZohoCRM, fromZcrmsdkConfig, TypeOrmTokenStore,
 * FileTokenStore) and malformed server responses (CRM and Accounts). Each must give a typed error
 * with a stable code, or a handled `{ error }` / value, never an untyped crash or an unhandled
 * rejection; and no known secret (client secret, tokens, grant code, database password) may
 * appear in String(err), JSON.stringify(err), err.stack or util.inspect(err).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createZohoCRM, type ZohoCRMClient } from "../../src/client.js";
import type { ZohoCRMOptions } from "../../src/config.js";
import { ZohoApiError, ZohoAuthError, ZohoConfigError, ZohoNetworkError, type ZohoError } from "../../src/errors.js";
import { FileTokenStore } from "../../src/stores/file-token-store.js";
import { MemoryTokenStore } from "../../src/stores/memory-token-store.js";
import { TypeOrmTokenStore } from "../../src/typeorm.js";
import { fromZcrmsdkConfig } from "../../src/zcrmsdk-config.js";
import { MARIADB, mariadbAvailable } from "../helpers/databases.js";
import { seedTokens, startFakeZoho, type FakeReply, type FakeZoho } from "../helpers/fake-zoho.js";
import { describeOutcome, expectNoSecrets, expectTyped, outcomeOf } from "./helpers.js";

const CLIENT_SECRET = "S3cret-client-value-never-printed-0001";
const DB_PASSWORD = "Db-Pa55word-never-printed-0002";
const GRANT = "1000.grantcodesecret0003.abcdefabcdef0003";
const USER = "bad.input@example.com";
const secrets: string[] = [CLIENT_SECRET, DB_PASSWORD, GRANT];

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);
let tmp: string;
beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  tmp = await mkdtemp(path.join(tmpdir(), "zcrm-bad-input-"));
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await rm(tmp, { recursive: true, force: true });
  expect(unhandled).toEqual([]);
});

async function thrown(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw, got none");
}

type Cls = abstract new (...args: never[]) => ZohoError;
interface ConfigCase {
  name: string;
  run: () => unknown;
  cls: Cls;
  code: string;
  /** Configuration keys the error must name. */
  keys?: string[];
}

const base: ZohoCRMOptions = { clientId: "1000.CLIENTID", clientSecret: CLIENT_SECRET, user: USER, tokenStore: new MemoryTokenStore() };
const bad = (patch: Record<string, unknown>) => () => createZohoCRM({ ...base, ...patch } as ZohoCRMOptions);
const zcrmsdk = (dict: unknown) => () => fromZcrmsdkConfig(dict as never, { cwd: tmp });
const mysqlDict = {
  client_id: "1000.X",
  client_secret: CLIENT_SECRET,
  redirect_uri: "https://example.com/cb",
  mysql_username: "root",
  mysql_password: DB_PASSWORD,
};
const typeorm = (options: unknown) => () => new TypeOrmTokenStore(options as never);
const file = (options: unknown) => () => new FileTokenStore(options as never);

const CONFIG_CASES: ConfigCase[] = [
  // createZohoCRM
  { name: "createZohoCRM(null)", run: () => createZohoCRM(null as never), cls: ZohoConfigError, code: "INVALID_OPTIONS" },
  { name: "createZohoCRM(a string)", run: () => createZohoCRM("clientId=1000.X" as never), cls: ZohoConfigError, code: "INVALID_OPTIONS" },
  { name: "empty clientId", run: bad({ clientId: "" }), cls: ZohoConfigError, code: "INVALID_OPTIONS", keys: ["clientId"] },
  { name: "clientSecret without clientId", run: bad({ clientId: undefined }), cls: ZohoConfigError, code: "INVALID_OPTIONS", keys: ["clientId"] },
  { name: "unknown dataCenter", run: bad({ dataCenter: "mars" }), cls: ZohoConfigError, code: "INVALID_OPTIONS", keys: ["dataCenter"] },
  { name: "unknown environment", run: bad({ environment: "staging" }), cls: ZohoConfigError, code: "INVALID_OPTIONS", keys: ["environment"] },
  { name: "unknown apiVersion", run: bad({ apiVersion: "v3" }), cls: ZohoConfigError, code: "INVALID_OPTIONS", keys: ["apiVersion"] },
  { name: "accountsUrl without scheme", run: bad({ accountsUrl: "accounts.zoho.eu" }), cls: ZohoConfigError, code: "INVALID_OPTIONS", keys: ["accountsUrl"] },
  { name: "apiBaseUrl with ftp:", run: bad({ apiBaseUrl: "ftp://www.zohoapis.com" }), cls: ZohoConfigError, code: "INVALID_OPTIONS", keys: ["apiBaseUrl"] },
  { name: "user that is not an email", run: bad({ user: "patricia" }), cls: ZohoConfigError, code: "INVALID_OPTIONS", keys: ["user"] },
  { name: "maxConcurrency 0", run: bad({ maxConcurrency: 0 }), cls: ZohoConfigError, code: "INVALID_OPTIONS", keys: ["maxConcurrency"] },
  { name: "timeoutMs 1.5", run: bad({ timeoutMs: 1.5 }), cls: ZohoConfigError, code: "INVALID_OPTIONS", keys: ["timeoutMs"] },
  { name: "refreshSkewMs NaN", run: bad({ refreshSkewMs: Number.NaN }), cls: ZohoConfigError, code: "INVALID_OPTIONS", keys: ["refreshSkewMs"] },
  { name: "retry as a string", run: bad({ retry: "always" }), cls: ZohoConfigError, code: "INVALID_OPTIONS", keys: ["retry"] },
  { name: "retry.limit -1", run: bad({ retry: { limit: -1 } }), cls: ZohoConfigError, code: "INVALID_OPTIONS", keys: ["retry.limit"] },
  {
    name: "tokenStore missing save/delete",
    run: bad({ tokenStore: { get: async () => undefined } }),
    cls: ZohoConfigError,
    code: "INVALID_OPTIONS",
    keys: ["tokenStore"],
  },
  { name: "accessToken as a number", run: bad({ accessToken: 42 }), cls: ZohoConfigError, code: "INVALID_OPTIONS", keys: ["accessToken"] },
  {
    name: "sharedConcurrency without redis, limit 0",
    run: bad({ sharedConcurrency: { redis: {}, limit: 0 } }),
    cls: ZohoConfigError,
    code: "INVALID_OPTIONS",
    keys: ["sharedConcurrency.redis", "sharedConcurrency.limit"],
  },
  { name: "fetch as a string", run: bad({ fetch: "fetch" }), cls: ZohoConfigError, code: "INVALID_OPTIONS", keys: ["fetch"] },
  { name: "logger without debug/warn/error", run: bad({ logger: { info() {} } }), cls: ZohoConfigError, code: "INVALID_OPTIONS", keys: ["logger"] },
  {
    name: "five problems reported at once",
    run: bad({ dataCenter: "xx", timeoutMs: -1, user: "nobody", maxConcurrency: "ten", apiVersion: 2 }),
    cls: ZohoConfigError,
    code: "INVALID_OPTIONS",
    keys: ["dataCenter", "timeoutMs", "user", "maxConcurrency", "apiVersion"],
  },
  { name: "withUser with a non-email", run: () => createZohoCRM(base).withUser("nobody", () => 1), cls: ZohoConfigError, code: "INVALID_USER", keys: ["user"] },
  {
    name: "a call with no user anywhere",
    run: () => createZohoCRM({ ...base, user: undefined }).GET("/crm/v2/users", { params: { query: { type: "CurrentUser" } } }),
    cls: ZohoConfigError,
    code: "USER_REQUIRED",
    keys: ["user"],
  },
  { name: "exchangeGrantToken('')", run: () => createZohoCRM(base).auth.exchangeGrantToken(""), cls: ZohoAuthError, code: "GRANT_TOKEN_REQUIRED" },
  {
    name: "a refresh without client credentials",
    run: () =>
      createZohoCRM({
        user: USER,
        tokenStore: new MemoryTokenStore([
          { user: USER, accessToken: "1000.accessaaaaaaaa.bbbbbbbbbb", refreshToken: "1000.refreshaaaaaaa.bbbbbbbbbb", expiresAt: 0 },
        ]),
      }).GET("/crm/v2/org", {}),
    cls: ZohoConfigError, // a configuration problem: the CLI exits 2 for it
    code: "CLIENT_CREDENTIALS_MISSING",
  },
  { name: "no tokens stored", run: () => createZohoCRM(base).GET("/crm/v2/org", {}), cls: ZohoAuthError, code: "NO_TOKENS" },
  // fromZcrmsdkConfig (the Python SDK's dictionary)
  { name: "zcrmsdk: null", run: zcrmsdk(null), cls: ZohoConfigError, code: "INVALID_ZCRMSDK_CONFIG" },
  { name: "zcrmsdk: an array", run: zcrmsdk([["client_id", "x"]]), cls: ZohoConfigError, code: "INVALID_ZCRMSDK_CONFIG" },
  {
    name: "zcrmsdk: {}",
    run: zcrmsdk({}),
    cls: ZohoConfigError,
    code: "INVALID_ZCRMSDK_CONFIG",
    keys: ["client_id", "client_secret", "redirect_uri", "mysql_username", "mysql_password"],
  },
  {
    name: "zcrmsdk: MySQL without username",
    run: zcrmsdk({ ...mysqlDict, mysql_username: "" }),
    cls: ZohoConfigError,
    code: "INVALID_ZCRMSDK_CONFIG",
    keys: ["mysql_username"],
  },
  {
    name: "zcrmsdk: mysql_port 'abc'",
    run: zcrmsdk({ ...mysqlDict, mysql_port: "abc" }),
    cls: ZohoConfigError,
    code: "INVALID_ZCRMSDK_CONFIG",
    keys: ["mysql_port"],
  },
  {
    name: "zcrmsdk: sandbox 'maybe'",
    run: zcrmsdk({ ...mysqlDict, sandbox: "maybe" }),
    cls: ZohoConfigError,
    code: "INVALID_ZCRMSDK_CONFIG",
    keys: ["sandbox"],
  },
  {
    name: "zcrmsdk: access_type 'forever'",
    run: zcrmsdk({ ...mysqlDict, access_type: "forever" }),
    cls: ZohoConfigError,
    code: "INVALID_ZCRMSDK_CONFIG",
    keys: ["access_type"],
  },
  {
    name: "zcrmsdk: apiVersion 'v9'",
    run: zcrmsdk({ ...mysqlDict, apiVersion: "v9" }),
    cls: ZohoConfigError,
    code: "INVALID_ZCRMSDK_CONFIG",
    keys: ["apiVersion"],
  },
  {
    name: "zcrmsdk: handler class without path",
    run: zcrmsdk({ ...mysqlDict, persistence_handler_class: "Store" }),
    cls: ZohoConfigError,
    code: "INVALID_ZCRMSDK_CONFIG",
    keys: ["persistence_handler_path"],
  },
  // TypeOrmTokenStore
  { name: "TypeOrmTokenStore(undefined)", run: typeorm(undefined), cls: ZohoConfigError, code: "TOKEN_STORE_OPTIONS" },
  { name: "TypeOrmTokenStore: type 'oracle'", run: typeorm({ type: "oracle" }), cls: ZohoConfigError, code: "TOKEN_STORE_UNSUPPORTED_TYPE", keys: ["type"] },
  {
    name: "TypeOrmTokenStore: SQL in tableName",
    run: typeorm({ type: "mariadb", tableName: "tokens; DROP TABLE users" }),
    cls: ZohoConfigError,
    code: "TOKEN_STORE_IDENTIFIER",
    keys: ["tableName"],
  },
  {
    name: "TypeOrmTokenStore: dataSource and type",
    run: typeorm({ type: "mariadb", dataSource: {} }),
    cls: ZohoConfigError,
    code: "TOKEN_STORE_OPTIONS",
    keys: ["dataSource", "type"],
  },
  {
    name: "TypeOrmTokenStore: dataSource that is not one",
    run: typeorm({ dataSource: { query() {} } }),
    cls: ZohoConfigError,
    code: "TOKEN_STORE_OPTIONS",
    keys: ["dataSource"],
  },
  {
    name: "TypeOrmTokenStore: SQLite without a file",
    run: typeorm({ type: "better-sqlite3" }),
    cls: ZohoConfigError,
    code: "TOKEN_STORE_OPTIONS",
    keys: ["database"],
  },
  {
    name: "TypeOrmTokenStore: two fields, one column",
    run: typeorm({ type: "mariadb", columns: { user: "tok", accessToken: "tok" } }),
    cls: ZohoConfigError,
    code: "TOKEN_STORE_IDENTIFIER",
    keys: ["columns"],
  },
  {
    name: "TypeOrmTokenStore: lockTimeoutMs -5",
    run: typeorm({ type: "postgres", lockTimeoutMs: -5, password: DB_PASSWORD }),
    cls: ZohoConfigError,
    code: "TOKEN_STORE_OPTIONS",
    keys: ["lockTimeoutMs"],
  },
  {
    name: "TypeOrmTokenStore: MySQL with a schema",
    run: typeorm({ type: "mysql", schema: "zoho", password: DB_PASSWORD }),
    cls: ZohoConfigError,
    code: "TOKEN_STORE_OPTIONS",
    keys: ["schema"],
  },
  {
    name: "TypeOrmTokenStore: nothing listens on the port",
    run: async () => {
      const store = new TypeOrmTokenStore({
        type: "mariadb",
        host: "127.0.0.1",
        port: 1,
        username: "root",
        password: DB_PASSWORD,
        database: "test",
        connectTimeoutMs: 2000,
      });
      try {
        await store.get(USER);
      } finally {
        await store.close();
      }
    },
    cls: ZohoNetworkError,
    code: "TOKEN_STORE_UNREACHABLE",
  },
  // FileTokenStore
  { name: "FileTokenStore({})", run: file({}), cls: ZohoConfigError, code: "TOKEN_FILE_OPTIONS", keys: ["path", "directory"] },
  {
    name: "FileTokenStore: path and directory",
    run: file({ path: "/tmp/a.json", directory: "/tmp" }),
    cls: ZohoConfigError,
    code: "TOKEN_FILE_OPTIONS",
    keys: ["path", "directory"],
  },
  { name: "FileTokenStore: blank path", run: file({ path: "   " }), cls: ZohoConfigError, code: "TOKEN_FILE_OPTIONS", keys: ["path"] },
  {
    name: "FileTokenStore: staleLockMs 0",
    run: file({ path: "/tmp/a.json", staleLockMs: 0 }),
    cls: ZohoConfigError,
    code: "TOKEN_FILE_OPTIONS",
    keys: ["staleLockMs"],
  },
  { name: "FileTokenStore: path is a directory", run: () => new FileTokenStore({ path: tmp }).get(USER), cls: ZohoConfigError, code: "TOKEN_FILE_UNREADABLE" },
  {
    name: "FileTokenStore: corrupt file",
    run: async () => {
      const target = path.join(tmp, "corrupt.json");
      await writeFile(target, `{"tokens": {"${USER}": {"accessToken": "${GRANT}"`, { mode: 0o600 });
      await new FileTokenStore({ path: target }).get(USER);
    },
    cls: ZohoConfigError,
    code: "TOKEN_FILE_CORRUPT",
  },
  {
    name: "FileTokenStore: a record with a wrong field type",
    run: () =>
      new FileTokenStore({ path: path.join(tmp, "tokens.json") }).save({ user: USER, accessToken: GRANT, refreshToken: 5, expiresAt: "soon" } as never),
    cls: ZohoConfigError,
    code: "TOKEN_RECORD_INVALID",
    keys: ["refreshToken", "expiresAt"],
  },
];

const maria = await mariadbAvailable();

describe("malformed configurations", () => {
  it(`covers at least 20 (${CONFIG_CASES.length})`, () => expect(CONFIG_CASES.length).toBeGreaterThanOrEqual(20));

  it.each(CONFIG_CASES)("$name → $cls.name $code", async ({ run, cls, code, keys }) => {
    const error = await thrown(run);
    expectTyped(error, cls, code);
    if (keys) expect((error as ZohoConfigError).keys).toEqual(expect.arrayContaining(keys));
    expectNoSecrets(error, secrets);
  });

  it.skipIf(!maria.ok)("TypeOrmTokenStore: wrong MariaDB password → TOKEN_STORE_ACCESS_DENIED, password never printed", async () => {
    const store = new TypeOrmTokenStore({
      type: "mariadb",
      host: MARIADB.host,
      port: MARIADB.port,
      username: "zcrm_no_such_user",
      password: DB_PASSWORD,
      database: "test",
    });
    const error = await thrown(() => store.get(USER)).finally(() => store.close());
    expectTyped(error, ZohoConfigError, "TOKEN_STORE_ACCESS_DENIED");
    expectNoSecrets(error, secrets);
  });

  it.skipIf(!maria.ok)("TypeOrmTokenStore: missing table → TOKEN_TABLE_MISSING naming the fix", async () => {
    const store = new TypeOrmTokenStore({
      type: "mariadb",
      host: MARIADB.host,
      port: MARIADB.port,
      username: MARIADB.username,
      password: MARIADB.password,
      database: "test",
      tableName: "zcrm_no_such_table_0000",
    });
    const error = await thrown(() => store.get(USER)).finally(() => store.close());
    expectTyped(error, ZohoConfigError, "TOKEN_TABLE_MISSING");
    expect((error as Error).message).toMatch(/ensureTable|synchronize/);
  });
});

// --- malformed server responses ----------------------------------------------------------------

describe("malformed server responses", () => {
  let fake: FakeZoho;
  let tokens: { accessToken: string; refreshToken: string };
  let crm: ZohoCRMClient;
  const crmSecrets = () => [...secrets, tokens.accessToken, tokens.refreshToken];

  const client = (expired = false, extra: Partial<ZohoCRMOptions> = {}) =>
    createZohoCRM({
      clientId: "1000.CLIENTID",
      clientSecret: CLIENT_SECRET,
      user: USER,
      accountsUrl: fake.url,
      tokenStore: new MemoryTokenStore([{ user: USER, ...tokens, expiresAt: expired ? 0 : Date.now() + 3_600_000, apiDomain: fake.url }]),
      retry: { limit: 1, baseDelayMs: 1, maxDelayMs: 200 },
      timeoutMs: 30_000,
      ...extra,
    });
  const list = (c = crm) => outcomeOf(() => c.GET("/crm/v2/{module}", { params: { path: { module: "Leads" } } }));
  const scan = async (c = crm) => {
    const seen: unknown[] = [];
    for await (const record of c.paginate("/crm/v2/{module}", { params: { path: { module: "Leads" } } })) seen.push(record);
    return seen;
  };
  const reply = (r: FakeReply) => (fake.handler = () => r);

  beforeAll(async () => {
    fake = await startFakeZoho();
    fake.refreshDelayMs = 0;
    tokens = seedTokens(fake, USER);
    secrets.push(tokens.accessToken, tokens.refreshToken);
  });
  afterAll(async () => {
    await fake?.close();
  });
  beforeEach(() => {
    fake.tokenReplies.length = 0;
    crm = client();
  });

  it("non-JSON body on a 200 → ZohoApiError INVALID_RESPONSE (GET and paginate)", async () => {
    reply({ status: 200, headers: { "content-type": "application/json;charset=UTF-8" }, raw: "<<not json>>" });
    const outcome = await list();
    expect(outcome.kind, describeOutcome(outcome)).toBe("throw");
    const error = (outcome as { error: unknown }).error;
    expectTyped(error, ZohoApiError, "INVALID_RESPONSE");
    expect((error as ZohoApiError).status).toBe(200);
    expectNoSecrets(error, crmSecrets());
    const scanError = await thrown(() => scan());
    expectTyped(scanError, ZohoApiError, "INVALID_RESPONSE");
  });

  it("JSON array instead of an object → GET hands it back as data, no crash", async () => {
    reply({ body: [1, 2, 3] });
    const outcome = await list();
    expect(outcome).toMatchObject({ kind: "ok", data: [1, 2, 3] });
  });

  it("`data` not an array → GET hands it back, no crash", async () => {
    reply({ body: { data: "nope", info: { more_records: true } } });
    expect(await list()).toMatchObject({ kind: "ok", data: { data: "nope" } });
  });

  it("HTML 401 → handled { error } HTTP_401 (no refresh: nothing says the token is bad)", async () => {
    reply({ status: 401, raw: "<html><body>401 Unauthorized</body></html>" });
    const refreshes = fake.refreshCount;
    const outcome = await list();
    expect(outcome, describeOutcome(outcome)).toMatchObject({ kind: "error", status: 401, error: { code: "HTTP_401", status: "error" } });
    expect(fake.refreshCount).toBe(refreshes);
    expectTyped(await thrown(() => scan()), ZohoApiError, "HTTP_401");
  });

  it("401 without a body → handled { error } HTTP_401", async () => {
    reply({ status: 401, headers: { "content-type": "" }, raw: "" });
    expect(await list()).toMatchObject({ kind: "error", status: 401, error: { code: "HTTP_401" } });
  });

  it("empty 200 with content-length: 0 → no data, no crash; paginate ends", async () => {
    reply({ status: 200, headers: { "content-length": "0", "content-type": "application/json" }, raw: "" });
    expect(await list()).toMatchObject({ kind: "ok", status: 200, data: undefined });
    expect(await scan()).toEqual([]);
  });

  it("wrong content-type (text/plain) around valid JSON → parsed; around garbage → INVALID_RESPONSE", async () => {
    reply({ status: 200, headers: { "content-type": "text/plain" }, raw: JSON.stringify({ data: [{ id: "1" }], info: { more_records: false } }) });
    expect(await list()).toMatchObject({ kind: "ok", data: { data: [{ id: "1" }] } });
    reply({ status: 200, headers: { "content-type": "text/plain" }, raw: "garbage" });
    const outcome = await list();
    expect(outcome.kind).toBe("throw");
    expectTyped((outcome as { error: unknown }).error, ZohoApiError, "INVALID_RESPONSE");
  });

  it("huge Retry-After (99 999 999 s) → never retried early: the 429 comes back with the wait (retryAfterMs)", async () => {
    let hits = 0;
    fake.handler = () =>
      ++hits === 1
        ? { status: 429, headers: { "retry-after": "99999999" }, body: { code: "TOO_MANY_REQUESTS", details: {}, message: "slow down", status: "error" } }
        : { body: { data: [{ id: "1" }], info: { more_records: false } } };
    expect(await list()).toMatchObject({ kind: "error", status: 429, error: { code: "TOO_MANY_REQUESTS", retryAfterMs: 99_999_999_000 } });
    expect(hits).toBe(1);
  });

  it("token response without access_token → ZohoAuthError INVALID_TOKEN_RESPONSE", async () => {
    fake.tokenReplies.push({ body: { token_type: "Bearer", expires_in: 3600 } });
    const outcome = await list(client(true));
    expect(outcome.kind).toBe("throw");
    const error = (outcome as { error: unknown }).error;
    expectTyped(error, ZohoAuthError, "INVALID_TOKEN_RESPONSE");
    expectNoSecrets(error, crmSecrets());
  });

  it('token response with expires_in "abc" → handled: the token is used, expiry falls back to Zoho\'s 1 h', async () => {
    const fresh = client(true);
    fake.handler = () => ({ body: { users: [{ id: "1" }] } });
    fake.tokenReplies.push({ body: { access_token: "1000.newaccessaaaaaaa.bbbbbbbbbbbbbbbb", expires_in: "abc", api_domain: fake.url, token_type: "Bearer" } });
    expect(await outcomeOf(() => fresh.GET("/crm/v2/users", {}))).toMatchObject({ kind: "ok" });
    const status = await fresh.auth.status();
    expect(status!.expiresAt).toBeGreaterThan(Date.now() + 3_000_000);
    expect(status!.expiresAt).toBeLessThanOrEqual(Date.now() + 3_600_000);
  });

  it.each([
    { name: "a JSON array", token: { body: [1, 2] } },
    { name: "an HTML page", token: { raw: "<html>oops</html>" } },
    { name: "an empty body", token: { raw: "" } },
  ] as Array<{ name: string; token: FakeReply }>)("token response that is $name → ZohoAuthError INVALID_TOKEN_RESPONSE", async ({ token }) => {
    fake.tokenReplies.push(token);
    const outcome = await list(client(true));
    expectTyped((outcome as { error: unknown }).error, ZohoAuthError, "INVALID_TOKEN_RESPONSE");
  });

  it("401 INVALID_TOKEN, then the refresh says invalid_code → ZohoAuthError reauthRequired; the hook is told", async () => {
    reply({ status: 401, body: { code: "INVALID_TOKEN", details: {}, message: "invalid oauth token", status: "error" } });
    fake.tokenReplies.push({ body: { error: "invalid_code" } });
    const events: unknown[] = [];
    const outcome = await list(client(false, { onReauthRequired: (e) => void events.push(e) }));
    const error = (outcome as { error: unknown }).error;
    expectTyped(error, ZohoAuthError, "invalid_code");
    expect(error).toMatchObject({ reauthRequired: true, user: USER });
    expect(events).toEqual([{ user: USER, code: "invalid_code" }]);
    expectNoSecrets(error, crmSecrets());
  });

  it("a body cut off mid-stream (socket destroyed after the headers) → ZohoNetworkError RESPONSE_INTERRUPTED", async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "5000" });
      res.write('{"data":[{"id":"1"},');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const c = createZohoCRM({
      accessToken: tokens.accessToken,
      apiBaseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      tokenStore: new MemoryTokenStore(),
      retry: false,
    });
    try {
      const outcome = await list(c);
      expect(outcome.kind, describeOutcome(outcome)).toBe("throw");
      const error = (outcome as { error: unknown }).error;
      expectTyped(error, ZohoNetworkError, "RESPONSE_INTERRUPTED");
      expectNoSecrets(error, crmSecrets());
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  // --- bugs found by this suite, fixed in src/ (paginate, transport, Accounts causes) ----------

  it("paginate: a page whose JSON body is `null` → ZohoApiError INVALID_RESPONSE (not an untyped TypeError)", async () => {
    reply({ status: 200, headers: { "content-type": "application/json" }, raw: "null" });
    expectTyped(await thrown(() => scan()), ZohoApiError, "INVALID_RESPONSE");
  });

  it("paginate: a page with no records array (JSON array body) → INVALID_RESPONSE, not a silent end", async () => {
    reply({ body: [{ id: "1" }, { id: "2" }] });
    expectTyped(await thrown(() => scan()), ZohoApiError, "INVALID_RESPONSE");
  });

  it("paginate: `data` not an array with more_records=true → INVALID_RESPONSE, not a silent end", async () => {
    reply({ body: { data: "nope", info: { more_records: true } } });
    expectTyped(await thrown(() => scan()), ZohoApiError, "INVALID_RESPONSE");
  });

  it("transport: a JSON error body without Zoho's `code` gets code HTTP_<status> in { error }", async () => {
    reply({ status: 502, body: { message: "Bad gateway (proxy)" } });
    expect(await list()).toMatchObject({ kind: "error", status: 502, error: { code: "HTTP_502" } });
  });
});

// --- secrets in the causes of Accounts errors --------------------------------------------------

describe("Accounts timeouts keep secrets out of the error's cause", () => {
  const REFRESH = "1000.refreshneverprint0004.cccccccccccccccc";
  const ACCESS = "1000.accessneverprint0005.dddddddddddddddd";
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    // Never answers revoke or user/info: the client's timeout fires.
    server = http.createServer((req, res) => {
      if (req.url?.startsWith("/oauth/v2/token/revoke") || req.url?.startsWith("/oauth/user/info")) return;
      if (req.url?.startsWith("/oauth/v2/token")) return void res.end(JSON.stringify({ access_token: ACCESS, refresh_token: REFRESH, expires_in: 3600 }));
      res.end("{}");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  const accountsClient = (user?: string) =>
    createZohoCRM({
      clientId: "1000.CLIENTID",
      clientSecret: CLIENT_SECRET,
      ...(user ? { user } : {}),
      accountsUrl: url,
      timeoutMs: 150,
      tokenStore: new MemoryTokenStore(user ? [{ user, accessToken: ACCESS, refreshToken: REFRESH, expiresAt: Date.now() + 3_600_000 }] : []),
    });

  it("the error itself is typed and its message, JSON and stack are clean", async () => {
    const error = await thrown(() => accountsClient(USER).auth.revoke());
    expectTyped(error, ZohoNetworkError, "TIMEOUT");
    for (const text of [String(error), JSON.stringify(error), String((error as Error).stack)]) {
      expect(text).not.toContain(REFRESH);
      expect(text).not.toContain(CLIENT_SECRET);
    }
  });

  it("revoke timeout: util.inspect(err) / console.error(err) never print the refresh token (the cause is a clean copy)", async () => {
    const error = await thrown(() => accountsClient(USER).auth.revoke());
    expectNoSecrets(error, [REFRESH]);
  });

  it("user/info timeout: the grant is reported spent (GRANT_SPENT); util.inspect(err) never prints the access token (the causes are clean copies)", async () => {
    const error = await thrown(() => accountsClient().auth.exchangeGrantToken(GRANT));
    expectTyped(error, ZohoAuthError, "GRANT_SPENT");
    expect((error as Error).cause).toMatchObject({ name: "ZohoNetworkError", code: "TIMEOUT" });
    expectNoSecrets(error, [ACCESS]);
  });
});
