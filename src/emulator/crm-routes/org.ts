/** The organization (envelope `org`). */
import type { CrmHandler } from "../router.js";

export const getOrganization: CrmHandler = (_req, ctx) => ({ status: 200, body: { org: [ctx.state.org] } });
