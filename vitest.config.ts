import { defineConfig } from "vitest/config";

/**
 * `npm test` runs everything (CI). `npm run test:quick` (`--mode quick`) leaves out what needs a
 * database server, Redis or several cooperating processes, for a fast local loop; tests inside
 * mixed files opt out with `itFull` (test/helpers/quick.ts).
 */
const NEEDS_SERVICES_OR_PROCESSES = [
  "test/stores/typeorm-mariadb.test.ts",
  "test/stores/typeorm-postgres.test.ts",
  "test/auth/multi-process-refresh.test.ts",
  "test/client/shared-concurrency.test.ts",
  "test/reliability/crash.test.ts",
  "test/reliability/soak.test.ts",
  "test/emulator/persistence-demo.test.ts",
  "test/cli/cli-emulator.test.ts",
];

export default defineConfig(({ mode }) => ({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["**/node_modules/**", ...(mode === "quick" ? NEEDS_SERVICES_OR_PROCESSES : [])],
    env: { ZCRM_TEST_QUICK: mode === "quick" ? "1" : "" },
    setupFiles: ["test/setup/loopback-only.ts", "test/setup/coverage-tag.ts"],
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
    // Deadlines only turn a hang into a failure; no test relies on finishing fast (the suite must
    // pass with several copies running at once on 2 cores).
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Database suites share real servers; files run in parallel but each uses its own tables.
    pool: "forks",
  },
}));
