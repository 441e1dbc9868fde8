/**
 * An append-only log of the operations the emulator answered — `operationId`, variant (the token
 * endpoint's grant type), HTTP status, and the test file named by `ZCRM_TEST_FILE` — one line each.
 * `npm run coverage:table` and CI count the operations that really ran in the test suite from it.
 * Off unless a file is given (the `operationLog` option or `ZCRM_EMULATOR_OPERATION_LOG`).
 */
import { appendFileSync } from "node:fs";
import { ACCOUNTS_OPERATIONS } from "./accounts-validation.js";
import type { IncomingCall } from "./crm-api.js";
import { formParams } from "./http-io.js";
import type { Router } from "./router.js";

export type OperationLog = (call: IncomingCall, status: number | "reset") => void;

export function createOperationLog(file: string | undefined, router: Router): OperationLog | undefined {
  if (!file) return undefined;
  return (call, status) => {
    const path = call.url.pathname.replace(/\/+$/, "");
    const resolved = router.resolve(call.method, path);
    const operationId = resolved.ok ? resolved.route.operationId : ACCOUNTS_OPERATIONS.find((op) => op.method === call.method && op.path === path)?.operationId;
    if (!operationId) return;
    const variant = operationId === "generateAccessToken" ? (grantType(call) ?? "") : "";
    // Synchronous and one line per call: a test that never closes its emulator still leaves a full log.
    appendFileSync(file, `${operationId}\t${variant}\t${status}\t${process.env.ZCRM_TEST_FILE ?? ""}\n`);
  };
}

/** `grant_type` read the way the token endpoint reads it (query string, urlencoded, multipart or JSON body). */
function grantType(call: IncomingCall): string | undefined {
  return formParams(call.url, call.body, call.headers["content-type"]).get("grant_type") ?? undefined;
}
