#!/usr/bin/env node
/**
 * The `zcrm` executable (package `bin`). Exit codes: 0 ok, 1 API/usage error, 2 config error,
 * 3 auth error (reauth required), 4 network error; `zcrm --help` lists them.
 */
import { runCli } from "./program.js";

// `zcrm records list Leads | head`: a reader that stops early is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
