/**
 * Runs the `zcrm` CLI as a subprocess (`node --import tsx src/cli/main.ts ...`) against an emulator
 * started in the test process, with a temp token file; keeps the parent's ZCRM_* variables out.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import type { EmulatorOptions } from "../../src/emulator/index.js";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const MAIN = path.join(REPO, "src/cli/main.ts");

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  input?: string;
  cwd?: string;
  timeoutMs?: number;
}

/** The environment without ZCRM_* (and Node options that would change the child). */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("ZCRM_") && key !== "NODE_OPTIONS" && !key.startsWith("VITEST")) env[key] = value;
  }
  return env;
}

export function runZcrm(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const env = { ...baseEnv(), ...options.env };
    for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
    const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], { cwd: options.cwd ?? REPO, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}

export interface CliFixture {
  emulator: Emulator;
  dir: string;
  tokenFile: string;
  /** Connection flags for the emulator (the client secret goes in `env`). */
  args: string[];
  /** ZCRM_CLIENT_SECRET for the emulator. */
  env: Record<string, string>;
  /** Runs zcrm (in this process, through `runCli`) with the connection flags and env. */
  run(args: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Exchanges a fresh grant token through the CLI (`zcrm auth exchange`). */
  login(): Promise<RunResult>;
  close(): Promise<void>;
}

export async function startCliFixture(options: EmulatorOptions = {}): Promise<CliFixture> {
  const emulator = await startEmulator({ port: 0, ...options });
  const dir = await mkdtemp(path.join(os.tmpdir(), "zcrm-cli-"));
  const tokenFile = path.join(dir, "tokens.json");
  const args = ["--client-id", emulator.clientId, "--accounts-url", emulator.url, "--api-base-url", emulator.url, "--token-file", tokenFile];
  const env = { ZCRM_CLIENT_SECRET: emulator.clientSecret };
  const run = (extra: readonly string[], runOptions: RunOptions = {}) =>
    runInProcess([...args, ...extra], { ...runOptions, cwd: runOptions.cwd ?? dir, env: { ...env, ...runOptions.env } });
  return {
    emulator,
    dir,
    tokenFile,
    args,
    env,
    run,
    login: () => run(["auth", "exchange", emulator.mintGrantCode()]),
    async close() {
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function json<T = unknown>(text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`stdout is not JSON: ${text.slice(0, 500)}`);
  }
}

/**
 * Runs the CLI in this process through `runCli` (what main.ts calls), for the many cheap checks
 * (help of every command, usage and config errors) that would each cost a Node start otherwise.
 */
export async function runInProcess(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const { PassThrough, Readable } = await import("node:stream");
  const { runCli } = await import("../../src/cli/program.js");
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
  stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
  const stdin = Readable.from(options.input !== undefined ? [Buffer.from(options.input)] : []);
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(options.env ?? {})) if (value !== undefined) env[key] = value;
  const code = await runCli(args, { stdout, stderr, stdin, env, cwd: options.cwd ?? REPO });
  await new Promise((resolve) => setImmediate(resolve));
  return { code, signal: null, stdout: out, stderr: err };
}
