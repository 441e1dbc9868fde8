/**
 * Zoho's SDK's own OAuth against the emulator's Accounts side: its first call exchanges the grant
 * code (OAuthToken.generateAccessToken, a multipart form post), and once its token looks expired it
 * refreshes (OAuthToken.refreshAccessToken). No shim: the SDK's code, the emulator's endpoint.
 */
import { expect } from "vitest";
import { DEFAULT_USER_EMAIL } from "../../../../src/emulator/index.js";
import { modelOf } from "../checks.js";
import type { AreaContext } from "../context.js";
import { zohoApi } from "../load.js";

const { OrgOperations } = zohoApi("org/org_operations");
const { ResponseWrapper } = zohoApi("org/response_wrapper");

const AREA = "oauth";

export async function oauthArea(ctx: AreaContext): Promise<void> {
  const { ledger, session } = ctx;
  const { stats } = session.emulator;

  await ledger.ok(AREA, "OAuthToken.generateAccessToken", async () => {
    const org = modelOf(await new OrgOperations().getOrganization(), ResponseWrapper).getOrg();
    expect(org[0].getCompanyName()).toBe(session.emulator.state.crm.org.company_name);
    expect(stats).toMatchObject({ grantExchanges: 1, refreshes: 0, tokenErrors: 0 });
    expect(session.store.saves).toHaveLength(1);
    expect(session.store.saves[0]).toMatchObject({ user: DEFAULT_USER_EMAIL, refreshToken: expect.stringMatching(/^1000\./) });
  });

  await ledger.ok(AREA, "OAuthToken.refreshAccessToken", async () => {
    const before = session.store.saves[0]!;
    // The SDK refreshes when its token expires within 5 s (by its own clock): mark it expired.
    session.token.setExpiresIn("0");
    const org = modelOf(await new OrgOperations().getOrganization(), ResponseWrapper).getOrg();
    expect(org).toHaveLength(1);
    expect(stats).toMatchObject({ grantExchanges: 1, refreshes: 1, tokenErrors: 0 });
    const after = session.store.saves.at(-1)!;
    expect(after.refreshToken).toBe(before.refreshToken);
    expect(after.accessToken).not.toBe(before.accessToken);
  });
}
