#!/usr/bin/env node
/**
 * The `zcrm` executable (package `bin`). Exit codes: 0 ok, 1 API/usage error, 2 config error,
 * 3 auth error (reauth required), 4 network error; `zcrm --help` lists them.
 */
import { runCli } from "./program.js";

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
