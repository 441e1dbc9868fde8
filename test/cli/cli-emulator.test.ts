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
});
