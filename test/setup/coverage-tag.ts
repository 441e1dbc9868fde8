/**
 * Names the running test file in ZCRM_TEST_FILE, so an emulator logging the operations it serves
 * (ZCRM_EMULATOR_OPERATION_LOG, set by `npm run coverage:table` and CI) can say which file ran them.
 */
import path from "node:path";
import { beforeAll, expect } from "vitest";

beforeAll(() => {
  const file = expect.getState().testPath;
  if (file) process.env.ZCRM_TEST_FILE = path.relative(process.cwd(), file).split(path.sep).join("/");
});
