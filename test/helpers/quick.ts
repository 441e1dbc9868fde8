/**
 * `itFull`: a test that needs several cooperating processes (lock workers, a SIGKILLed writer) or a
 * subprocess of the CLI; `npm run test:quick` skips it, `npm test` (CI) runs it.
 */
import { it } from "vitest";

export const itFull: typeof it = process.env.ZCRM_TEST_QUICK === "1" ? (it.skip as typeof it) : it;
