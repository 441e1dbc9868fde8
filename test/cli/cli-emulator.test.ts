/**
 * `zcrm emulator --port 0` as a subprocess: prints its URL, serves Accounts and the CRM API, and
 * stops cleanly (exit 0) on SIGTERM.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET } from "../../src/emulator/index.js";
import { REPO } from "./helpers.js";

describe("zcrm emulator", () => {
  it("prints its URL, answers like Zoho, and exits 0 on SIGTERM", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO, "src/cli/main.ts"), "emulator", "--port", "0", "--no-seed-records"], {
      cwd: REPO,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on("close", (code, signal) => resolve({ code, signal })),
    );
    let url = "";
    try {
      url = await new Promise<string>((resolve, reject) => {
        child.stdout.setEncoding("utf8").on("data", (d: string) => {
          stdout += d;
          if (stdout.includes("\n")) resolve(stdout.split("\n")[0]!);
        });
        void exited.then(() => reject(new Error(`emulator exited early: ${stderr}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const unauthenticated = await fetch(`${url}/crm/v2/Leads`);
      expect(unauthenticated.status).toBe(401);
      expect(await unauthenticated.json()).toMatchObject({
        code: expect.stringMatching(/AUTHENTICATION_FAILURE|INVALID_TOKEN|INVALID_OAUTHTOKEN/),
        status: "error",
      });
      const grant = await fetch(`${url}/emulator/grant`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      expect(((await grant.json()) as { code: string }).code).toMatch(/^1000\./);
    } finally {
      child.kill("SIGTERM");
    }
    const { code, signal } = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(stderr).toMatch(/Zoho CRM emulator \(Zoho Accounts and the CRM API\) on http/);
    // How to connect, with the emulator's own test-only credentials, and what to run next.
    expect(stderr).toContain(`export ZCRM_CLIENT_ID=${EMULATOR_CLIENT_ID} ZCRM_CLIENT_SECRET=${EMULATOR_CLIENT_SECRET} ZCRM_ACCOUNTS_URL=${url}`);
    expect(stderr).toContain('zcrm auth exchange "$(zcrm emulator grant)"');
    expect(stderr).toMatch(/emulator stopped/);
  });

  it("--records N seeds N generated records per module; a bad N is a usage error", async () => {
    const cli = (args: string[]) =>
      spawn(process.execPath, ["--import", "tsx", path.join(REPO, "src/cli/main.ts"), "emulator", "--port", "0", ...args], {
        cwd: REPO,
        stdio: ["ignore", "pipe", "pipe"],
      });
    const bad = cli(["--records", "many"]);
    let badErr = "";
    bad.stderr!.setEncoding("utf8").on("data", (d: string) => (badErr += d));
    expect(await new Promise((resolve) => bad.on("close", resolve))).toBe(1); // a usage error
    expect(badErr).toMatch(/--records must be a whole number/);

    const child = cli(["--no-seed-records", "--records", "25"]);
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    try {
      const url = await new Promise<string>((resolve) => {
        let out = "";
        child.stdout!.setEncoding("utf8").on("data", (d: string) => {
          out += d;
          if (out.includes("\n")) resolve(out.split("\n")[0]!);
        });
      });
      const grant = (await (await fetch(`${url}/emulator/grant`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).json()) as {
        code: string;
      };
      const form = new URLSearchParams({
        grant_type: "authorization_code",
        code: grant.code,
        client_id: EMULATOR_CLIENT_ID,
        client_secret: EMULATOR_CLIENT_SECRET,
      });
      const token = (await (await fetch(`${url}/oauth/v2/token`, { method: "POST", body: form })).json()) as { access_token: string };
      for (const module of ["Accounts", "Contacts", "Deals", "Leads"]) {
        const res = await fetch(`${url}/crm/v2/${module}?per_page=200`, { headers: { authorization: `Zoho-oauthtoken ${token.access_token}` } });
        expect(((await res.json()) as { info: { count: number } }).info.count).toBe(25);
      }
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });
});
