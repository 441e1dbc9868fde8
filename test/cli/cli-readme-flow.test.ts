/**
 * The CLI as the README shows it, from a fresh directory with the default (SQLite) store: the
 * block marked `readme-check: cli` runs in bash exactly as written (only the port is a free one),
 * then the refresh-token start, exit codes and flag checks a new user meets in the first hour.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_USER_EMAIL, startEmulator, type Emulator } from "../../src/emulator/index.js";
import { itFull } from "../helpers/quick.js";
import { REPO, runInProcess } from "./helpers.js";

const run = promisify(execFile);
const MAIN = path.join(REPO, "src/cli/main.ts");

/** The README's shell block after `<!-- readme-check: <name> -->`. */
async function readmeBlock(name: string): Promise<string> {
  const readme = await readFile(path.join(REPO, "README.md"), "utf8");
  const match = new RegExp(`<!-- readme-check: ${name} -->\\s*\`\`\`sh\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!match) throw new Error(`README.md has no block marked readme-check: ${name}`);
  return match[1]!;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The environment without ZCRM_* (a developer's own settings must not leak into the test). */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("ZCRM_") && key !== "NODE_OPTIONS" && !key.startsWith("VITEST")));
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "zcrm-readme-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the README's CLI flow", () => {
  itFull('zcrm emulator → export → zcrm auth exchange "$(zcrm emulator grant)" → zcrm whoami, as written, in a fresh directory', async () => {
    const block = await readmeBlock("cli");
    expect(block).toMatch(/^zcrm emulator/m);
    const port = await freePort();
    const cwd = await mkdtemp(path.join(dir, "fresh-"));
    // `zcrm` is the CLI from source; the block runs unchanged but for the port; the emulator is stopped
    // after — the node process under the background job's subshell too, which `kill %1` alone orphans.
    const tsx = pathToFileURL(path.join(REPO, "node_modules/tsx/dist/esm/index.mjs")).href;
    const script = `set -e\nzcrm() { "${process.execPath}" --import "${tsx}" "${MAIN}" "$@"; }\n${block.replaceAll("8080", String(port))}\njob="$(jobs -p %1)"; pkill -TERM -P "$job" || true; kill "$job" 2>/dev/null || true\n`;
    const { stdout, stderr } = await run("bash", ["-c", script], { cwd, env: cleanEnv(), timeout: 110_000 });
    const outputs = stdout.trim().split("\n");
    expect(stderr).toMatch(/export ZCRM_CLIENT_ID=1000\.EMULATORCLIENT ZCRM_CLIENT_SECRET=\S+ ZCRM_ACCOUNTS_URL=http:\/\/127\.0\.0\.1:\d+/); // the emulator said how
    expect(stdout).toContain(`"user": "${DEFAULT_USER_EMAIL}"`); // auth exchange
    expect(stdout).toContain(`"email": "${DEFAULT_USER_EMAIL}"`); // whoami, with no --user
    expect(outputs[0]).toBe(`http://127.0.0.1:${port}`);
    expect(await readFile(path.join(cwd, ".zcrm", "cli.json"), "utf8")).toContain(DEFAULT_USER_EMAIL);
  });
});

describe("first-hour CLI behaviour", () => {
  let emulator: Emulator;
  let env: Record<string, string>;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, clock: "manual", log: () => {} });
    env = { ZCRM_CLIENT_ID: emulator.clientId, ZCRM_CLIENT_SECRET: emulator.clientSecret, ZCRM_ACCOUNTS_URL: emulator.url };
  });
  afterAll(async () => {
    await emulator.close();
  });
  const fresh = () => mkdtemp(path.join(dir, "cwd-"));

  it("auth import takes a refresh token on stdin and serves whoami like a grant does", async () => {
    const cwd = await fresh();
    const grant = await fetch(`${emulator.url}/oauth/v2/token`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: emulator.mintGrantCode(),
        client_id: emulator.clientId,
        client_secret: emulator.clientSecret,
      }),
    });
    const { refresh_token: refreshToken } = (await grant.json()) as { refresh_token: string };
    const imported = await runInProcess(["auth", "import"], { env, cwd, input: `${refreshToken}\n` });
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ user: DEFAULT_USER_EMAIL, hasRefreshToken: true });
    expect(imported.stdout + imported.stderr).not.toContain(refreshToken);
    const whoami = await runInProcess(["whoami"], { env, cwd });
    expect(whoami.code, whoami.stderr).toBe(0);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ email: DEFAULT_USER_EMAIL });
  });

  it("exit codes match --help: missing client id or secret is configuration (2), no tokens is auth (3)", async () => {
    const noCredentials = await runInProcess(["auth", "exchange", emulator.mintGrantCode()], { env: { ZCRM_ACCOUNTS_URL: emulator.url }, cwd: await fresh() });
    expect(noCredentials.code).toBe(2);
    expect(noCredentials.stderr).toMatch(/clientId and clientSecret.*--client-id \/ ZCRM_CLIENT_ID/s);
    const noTokens = await runInProcess(["whoami"], { env, cwd: await fresh() });
    expect(noTokens.code).toBe(3);
    expect(noTokens.stderr).toMatch(/No tokens are stored.*zcrm auth exchange/);
    expect(noTokens.stderr).not.toMatch(/withUser|forUser/); // the CLI's own fixes, not SDK functions
  });

  it("several users and none remembered: a configuration error naming --user and ZCRM_USER", async () => {
    const cwd = await fresh();
    for (const user of ["ann@example.com", "bob@example.com"]) {
      const exchanged = await runInProcess(["auth", "exchange", emulator.mintGrantCode({ user })], { env, cwd });
      expect(exchanged.code, exchanged.stderr).toBe(0);
    }
    expect(JSON.parse((await runInProcess(["whoami"], { env, cwd })).stdout)).toMatchObject({ email: "bob@example.com" }); // the last one
    await rm(path.join(cwd, ".zcrm", "cli.json"));
    const ambiguous = await runInProcess(["whoami"], { env, cwd });
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/ann@example\.com, bob@example\.com.*--user <email>.*ZCRM_USER/);
    expect(JSON.parse((await runInProcess(["whoami", "--user", "ann@example.com"], { env, cwd })).stdout)).toMatchObject({ email: "ann@example.com" });
  });

  it("flags are checked before anything is sent, naming the flag; messages name the module, not a path template", async () => {
    const cwd = await fresh();
    await runInProcess(["auth", "exchange", emulator.mintGrantCode()], { env, cwd });
    const calls = emulator.stats.apiCalls;
    const perPage = await runInProcess(["records", "list", "Leads", "--per-page", "500"], { env, cwd });
    expect(perPage.code).toBe(1);
    expect(perPage.stderr).toMatch(/--per-page is at most 200/);
    expect(emulator.stats.apiCalls).toBe(calls);
    const unknown = await runInProcess(["records", "list", "Nope", "--all"], { env, cwd });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("/crm/v2/Nope");
    expect(unknown.stderr).not.toContain("{module}");
  });
});
