/**
 * `zcrm` as a subprocess against the emulator: help, auth commands, whoami, configuration
 * precedence (flags > env > file, our keys or the Python SDK's), exit codes 2/3/4, and secrets.
 */
import { once } from "node:events";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_USER_EMAIL } from "../../src/emulator/index.js";
import { json, runInProcess, runZcrm, startCliFixture, type CliFixture } from "./helpers.js";

let fx: CliFixture;
let deadUrl: string;

async function closedPortUrl(): Promise<string> {
  const server = net.createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

async function storedTokens(file: string): Promise<string[]> {
  const state = JSON.parse(await readFile(file, "utf8")) as { tokens: Record<string, { accessToken: string; refreshToken: string }> };
  return Object.values(state.tokens).flatMap((r) => [r.accessToken, r.refreshToken]);
}

beforeAll(async () => {
  fx = await startCliFixture();
  deadUrl = await closedPortUrl();
  const login = await fx.login();
  expect(login.code, login.stderr).toBe(0);
});

afterAll(async () => {
  await fx?.close();
});

describe("help and usage", () => {
  it("zcrm --help documents the commands, the configuration and the exit codes", async () => {
    const r = await runZcrm(["--help"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Usage: zcrm/);
    for (const text of [
      "Exit codes:",
      "0  success",
      "1  API error",
      "2  configuration error",
      "3  authentication error",
      "4  network error",
      "ZCRM_CLIENT_ID",
      "ZCRM_CLIENT_SECRET",
      "ZCRM_REDIRECT_URI",
      "ZCRM_USER",
      "ZCRM_DATA_CENTER",
      "ZCRM_ACCOUNTS_URL",
      "ZCRM_API_BASE_URL",
      "ZCRM_TOKEN_FILE",
      "ZCRM_CONFIG",
    ]) {
      expect(r.stdout).toContain(text);
    }
    for (const command of ["auth", "whoami", "records", "coql", "export", "gen-types", "emulator"]) expect(r.stdout).toContain(command);
  });

  it("every command has --help (exit 0, usage on stdout)", async () => {
    const commands = [
      ["auth"],
      ["auth", "exchange"],
      ["auth", "status"],
      ["auth", "revoke"],
      ["whoami"],
      ["records"],
      ["records", "list"],
      ["records", "get"],
      ["records", "create"],
      ["records", "update"],
      ["records", "upsert"],
      ["records", "delete"],
      ["records", "search"],
      ["coql"],
      ["export"],
      ["gen-types"],
      ["emulator"],
    ];
    for (const command of commands) {
      const r = await runInProcess([...command, "--help"]);
      expect(r.code, `zcrm ${command.join(" ")} --help: ${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: zcrm ${command.join(" ")}`));
    }
    expect((await runInProcess(["export", "--help"])).stdout).toMatch(/--format <format>[\s\S]*csv[\s\S]*ndjson/);
  });

  it("unknown commands and bad usage exit 1 with a message on stderr", async () => {
    const unknown = await runZcrm(["records", "frob"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe("zcrm: unknown command 'frob' (see zcrm records --help)\n");
    const env = { ZCRM_CLIENT_SECRET: fx.emulator.clientSecret };
    const search = await runInProcess([...fx.args, "records", "search", "Leads"], { env });
    expect(search.code).toBe(1);
    expect(search.stderr).toMatch(/exactly one of --criteria, --email, --phone, --word/);
    const badJson = await runInProcess([...fx.args, "records", "create", "Leads", "--data", "{not json"], { env });
    expect(badJson.code).toBe(1);
    expect(badJson.stderr).toMatch(/not valid JSON/);
    expect(badJson.stdout).toBe("");
    const badFormat = await runInProcess([...fx.args, "export", "Leads", "--format", "xml"], { env });
    expect(badFormat.code).toBe(1);
    expect(badFormat.stderr).toMatch(/Allowed choices are csv, ndjson/);
  });
});

describe("auth and whoami", () => {
  it("auth exchange stored the tokens; status and whoami use the only stored user without --user", async () => {
    const status = await fx.run(["auth", "status"]);
    expect(status.code, status.stderr).toBe(0);
    const s = json<Record<string, unknown>>(status.stdout);
    expect(s).toMatchObject({ user: DEFAULT_USER_EMAIL, expired: false, hasRefreshToken: true, apiDomain: fx.emulator.url });
    expect(Date.parse(String(s.expiresAt))).toBeGreaterThan(Date.now());
    const whoami = await fx.run(["whoami"]);
    expect(whoami.code, whoami.stderr).toBe(0);
    expect(json<{ email: string }>(whoami.stdout).email).toBe(DEFAULT_USER_EMAIL);
    for (const token of await storedTokens(fx.tokenFile)) {
      expect(status.stdout + status.stderr + whoami.stdout + whoami.stderr).not.toContain(token);
    }
  });
});

describe("exit codes", () => {
  it("2 for configuration errors (flags, environment, config files), on one line", async () => {
    const flag = await fx.run(["whoami", "--data-center", "mars"]);
    expect(flag.code, flag.stderr).toBe(2);
    expect(flag.stderr).toMatch(/^zcrm: Invalid Zoho CRM client options: dataCenter: must be one of us, eu/);
    expect(flag.stderr.trim().split("\n")).toHaveLength(1);

    const badJson = path.join(fx.dir, "bad.json");
    await writeFile(badJson, '{"clientId": "x", "clientSecret": "hunter2-super-secret-value", }');
    const unknownKey = path.join(fx.dir, "unknown.json");
    await writeFile(unknownKey, JSON.stringify({ clientId: "x", colour: "blue" }));
    const sdkMissing = path.join(fx.dir, "sdk-missing.json");
    await writeFile(sdkMissing, JSON.stringify({ client_id: "x", redirect_uri: "http://localhost/cb", token_persistence_path: fx.dir }));
    const env = { ZCRM_CLIENT_SECRET: fx.emulator.clientSecret };
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [["whoami"], { ...env, ZCRM_DATA_CENTER: "mars" }, /dataCenter: must be one of/],
      [["whoami", "--config", path.join(fx.dir, "missing.json")], env, /Cannot read the config file .*missing\.json/],
      [["whoami", "--config", badJson], env, /config file .*bad\.json is not valid JSON/],
      [["whoami", "--config", unknownKey], env, /unknown keys: colour/],
      [["whoami", "--config", sdkMissing], env, /client_secret: missing/],
      [["whoami", "--timeout", "soon"], env, /timeout must be a whole number/],
      [["whoami", "--retries", "-1"], env, /retries must be a whole number >= 0/],
      [["whoami", "--user", "not-an-email"], env, /user: must be the user's email address/],
      [["whoami", "--accounts-url", "ftp://x"], env, /accountsUrl: must be an http\(s\) URL/],
    ];
    for (const [args, caseEnv, message] of cases) {
      const r = await runInProcess([...fx.args, ...args], { env: caseEnv });
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n"), r.stderr).toHaveLength(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).not.toContain("hunter2");
    }
  });

  it("3 for auth errors: a bad grant token, no tokens for the user", async () => {
    const grant = await fx.run(["auth", "exchange", "1000.nope.nope"]);
    expect(grant.code).toBe(3);
    expect(grant.stderr).toMatch(/^zcrm: .*invalid_code/);
    const noTokens = await fx.run(["records", "list", "Leads", "--user", "nobody@example.com"]);
    expect(noTokens.code).toBe(3);
    expect(noTokens.stderr).toMatch(/No tokens are stored for nobody@example.com/);
  });

  it("4 for network errors", async () => {
    const r = await fx.run(["whoami", "--api-base-url", deadUrl, "--timeout", "2000", "--retries", "0"]);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/^zcrm: .*no response/);
  });
});

describe("configuration precedence: flags > env > file", () => {
  it("reads our own config file (tokenFile relative to it); env beats the file; flags beat env", async () => {
    const file = path.join(fx.dir, "zcrm.json");
    await writeFile(
      file,
      JSON.stringify({
        clientId: fx.emulator.clientId,
        clientSecret: fx.emulator.clientSecret,
        accountsUrl: fx.emulator.url,
        apiBaseUrl: fx.emulator.url,
        tokenFile: "tokens.json",
      }),
    );
    const fileOnly = await runInProcess(["whoami"], { env: { ZCRM_CONFIG: file } });
    expect(fileOnly.code, fileOnly.stderr).toBe(0);
    expect(json<{ email: string }>(fileOnly.stdout).email).toBe(DEFAULT_USER_EMAIL);
    const envWins = await runInProcess(["whoami", "--config", file], { env: { ZCRM_API_BASE_URL: deadUrl, ZCRM_RETRIES: "0" } });
    expect(envWins.code, envWins.stderr).toBe(4);
    expect(envWins.stderr).toContain(deadUrl);
    const flagWins = await runInProcess(["whoami", "--config", file, "--api-base-url", fx.emulator.url], { env: { ZCRM_API_BASE_URL: deadUrl } });
    expect(flagWins.code, flagWins.stderr).toBe(0);
  });

  it("takes the Python SDK's configuration dictionary as is", async () => {
    const dir = path.join(fx.dir, "py");
    await mkdir(dir, { recursive: true });
    const file = path.join(fx.dir, "zcrmsdk.json");
    await writeFile(
      file,
      JSON.stringify({
        client_id: fx.emulator.clientId,
        client_secret: fx.emulator.clientSecret,
        redirect_uri: "http://localhost/callback",
        currentUserEmail: DEFAULT_USER_EMAIL,
        token_persistence_path: dir,
        accounts_url: fx.emulator.url,
        apiBaseUrl: fx.emulator.url,
      }),
    );
    const exchange = await runInProcess(["--config", file, "auth", "exchange", fx.emulator.mintGrantCode()]);
    expect(exchange.code, exchange.stderr).toBe(0);
    expect(json<{ user: string }>(exchange.stdout).user).toBe(DEFAULT_USER_EMAIL);
    expect(await storedTokens(path.join(dir, "zcrm_oauthtokens.json"))).toHaveLength(2);
    const whoami = await runInProcess(["whoami"], { env: { ZCRM_CONFIG: file } });
    expect(whoami.code, whoami.stderr).toBe(0);
    expect(json<{ email: string }>(whoami.stdout).email).toBe(DEFAULT_USER_EMAIL);
  });
});

describe("secrets and revoke", () => {
  it("never prints the client secret, the grant or the tokens, even with --verbose and on errors; revoke ends the session (exit 3 after)", async () => {
    const other = await startCliFixture({ seedRecords: false });
    try {
      const grant = other.emulator.mintGrantCode();
      const base = [...other.args, "--client-secret", other.emulator.clientSecret, "--verbose"];
      const exchange = await runInProcess([...base, "auth", "exchange", grant]);
      expect(exchange.code, exchange.stderr).toBe(0);
      const tokens = await storedTokens(other.tokenFile);
      const again = await runInProcess([...base, "auth", "exchange", grant]);
      expect(again.code).toBe(3);
      expect(again.stderr).toMatch(/at .*\.ts:\d+/); // --verbose adds the stack
      other.emulator.state.expireAccessTokens();
      const refreshed = await runInProcess([...base, "records", "list", "Leads"]);
      expect(refreshed.code, refreshed.stderr).toBe(0);
      expect(refreshed.stderr).toMatch(/zcrm \[debug\]/);
      const tokensAfterRefresh = await storedTokens(other.tokenFile);
      const revoke = await runInProcess([...base, "auth", "revoke"]);
      expect(revoke.code, revoke.stderr).toBe(0);
      expect(json(revoke.stdout)).toEqual({ revoked: true, user: DEFAULT_USER_EMAIL });
      const status = await runInProcess([...other.args, "auth", "status", "--user", DEFAULT_USER_EMAIL], { env: other.env });
      expect(status.code).toBe(3);
      expect(status.stderr).toMatch(/^zcrm: No tokens are stored for .*auth exchange/);
      expect(status.stderr.trim().split("\n")).toHaveLength(1);
      const output = [exchange, again, refreshed, revoke, status].map((r) => r.stdout + r.stderr).join("\n");
      for (const secret of [other.emulator.clientSecret, grant, ...tokens, ...tokensAfterRefresh]) expect(output).not.toContain(secret);
    } finally {
      await other.close();
    }
  });
});
