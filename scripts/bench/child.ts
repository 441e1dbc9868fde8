/**
 * Child-process plumbing for the benchmarks: start a `.ts` entry under tsx, wait for the first
 * JSON line it prints (its address, results...), stop it by its own pid.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface Child<T> {
  child: ChildProcess;
  /** The first JSON line the child printed. */
  info: T;
  /** Everything else printed so far on stderr (for error reports). */
  stderr(): string;
  /** Further JSON lines, in order. */
  next(): Promise<unknown>;
  stop(): Promise<void>;
}

export function benchFile(name: string): string {
  return fileURLToPath(new URL(`./${name}`, import.meta.url));
}

/** Spawns `node [nodeArgs] --import tsx <file> [args]` and resolves with its first stdout JSON line. */
export async function startChild<T>(
  file: string,
  options: { args?: string[]; env?: Record<string, string>; nodeArgs?: string[]; timeoutMs?: number } = {},
): Promise<Child<T>> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), "--import", "tsx", file, ...(options.args ?? [])], {
    env: { ...process.env, ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let err = "";
  let buffer = "";
  const lines: unknown[] = [];
  const waiters: Array<(line: unknown) => void> = [];
  let exited = false;
  const exitWaiters: Array<() => void> = [];
  child.stderr!.on("data", (d: Buffer) => (err += d));
  child.stdout!.on("data", (d: Buffer) => {
    buffer += d;
    for (let index = buffer.indexOf("\n"); index !== -1; index = buffer.indexOf("\n")) {
      const line = buffer.slice(0, index).trim();
      buffer = buffer.slice(index + 1);
      if (!line.startsWith("{")) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        continue;
      }
      const waiter = waiters.shift();
      if (waiter) waiter(parsed);
      else lines.push(parsed);
    }
  });
  child.on("exit", () => {
    exited = true;
    for (const w of exitWaiters.splice(0)) w();
    for (const w of waiters.splice(0)) w(undefined);
  });
  const next = (): Promise<unknown> =>
    lines.length > 0 ? Promise.resolve(lines.shift()) : exited ? Promise.resolve(undefined) : new Promise((resolve) => waiters.push(resolve));
  const timeoutMs = options.timeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  const info = (await Promise.race([
    next(),
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${file} did not answer within ${timeoutMs} ms: ${err}`)), timeoutMs))),
  ]).finally(() => clearTimeout(timer))) as T | undefined;
  if (info === undefined) throw new Error(`${file} exited before answering: ${err}`);
  return {
    child,
    info,
    stderr: () => err,
    next,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        exitWaiters.push(resolve);
        child.kill("SIGTERM");
      }),
  };
}

/** Runs a child to completion and returns the last JSON line it printed. */
export async function runChild<T>(file: string, options: { args?: string[]; env?: Record<string, string>; nodeArgs?: string[] } = {}): Promise<T> {
  const started = await startChild<T>(file, { ...options, timeoutMs: 600_000 });
  let last: T = started.info;
  for (;;) {
    const line = await started.next();
    if (line === undefined) break;
    last = line as T;
  }
  await new Promise<void>((resolve) => (started.child.exitCode !== null ? resolve() : started.child.once("exit", () => resolve())));
  if (started.child.exitCode !== 0) throw new Error(`${file} failed (exit ${started.child.exitCode}): ${started.stderr()}`);
  return last;
}
