/**
 * Starts `fixtures/sync-worker.ts` as a child process and follows its JSON lines: for the crash
 * tests (SIGKILL after the k-th event) and the fleet tests (several at once).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const workerFile = fileURLToPath(new URL("./fixtures/sync-worker.ts", import.meta.url));

export interface WorkerProcess {
  child: ChildProcess;
  events: Array<Record<string, unknown>>;
  /** Resolves when `n` events (after "ready") were printed, or the process ended. */
  eventCount(n: number): Promise<void>;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }>;
}

export function startWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", workerFile], { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
  const events: Array<Record<string, unknown>> = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  let buffer = "";
  let err = "";
  let ended = false;
  const settle = () => {
    for (const w of [...waiters]) {
      if (ended || events.filter((e) => e.type !== "ready").length >= w.n) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout!.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("utf8");
    let nl = buffer.indexOf("\n");
    while (nl >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.trim() !== "") events.push(JSON.parse(line) as Record<string, unknown>);
      nl = buffer.indexOf("\n");
    }
    settle();
  });
  child.stderr!.on("data", (d: Buffer) => (err += d.toString("utf8")));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }>((resolve) =>
    child.on("close", (code, signal) => {
      ended = true;
      settle();
      resolve({ code, signal, err });
    }),
  );
  return {
    child,
    events,
    done,
    eventCount: (n) =>
      new Promise<void>((resolve) => {
        waiters.push({ n, resolve });
        settle();
      }),
  };
}
