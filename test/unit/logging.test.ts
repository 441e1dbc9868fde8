import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REDACTED, Redactor, createFileLogger, createSafeLogger } from "../../src/logging.js";

describe("redaction", () => {
  const redactor = new Redactor();
  redactor.add("my-client-secret-value");

  it("removes registered secrets, Zoho-shaped tokens, auth headers and token query params", () => {
    const text = redactor.text(
      "secret my-client-secret-value token 1000.abcdef0123456789.0123456789abcdef header Zoho-oauthtoken xyz.abc url https://a/revoke?token=r-123&x=1",
    );
    expect(text).not.toContain("my-client-secret-value");
    expect(text).not.toContain("1000.abcdef0123456789.0123456789abcdef");
    expect(text).not.toContain("xyz.abc");
    expect(text).not.toContain("r-123");
    expect(text).toContain("x=1");
  });

  it("redacts by key in nested structures, and errors' messages", () => {
    const value = redactor.value({
      user: "a@b.c",
      nested: { access_token: "plain", refreshToken: "plain2", list: [{ client_secret: "s", code: "INVALID_TOKEN" }] },
      error: new Error("failed with my-client-secret-value"),
    }) as { user: string; nested: { access_token: string; refreshToken: string; list: unknown[] } };
    expect(value.user).toBe("a@b.c");
    expect(value.nested.access_token).toBe(REDACTED);
    expect(value.nested.refreshToken).toBe(REDACTED);
    expect(value.nested.list[0]).toEqual({ client_secret: REDACTED, code: "INVALID_TOKEN" }); // error codes are not secrets
    expect(JSON.stringify(value)).not.toContain("my-client-secret-value");
  });

  it("a throwing sink never breaks the caller", () => {
    const boom = () => {
      throw new Error("sink down");
    };
    const logger = createSafeLogger({ sinks: [{ trace: boom, debug: boom, info: boom, warn: boom, error: boom }], redactor });
    expect(() => logger.error({ x: 1 }, "m")).not.toThrow();
  });
});

describe("log file (applicationLogFilePath)", () => {
  it("writes redacted JSON lines, mode 0600, into a directory or a file", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "zcrm-log-"));
    const redactor = new Redactor();
    redactor.add("super-secret-token-value");
    const logger = createSafeLogger({ sinks: [createFileLogger({ filePath: dir, level: "debug" })], redactor });
    logger.trace({ skipped: true }, "below the level");
    logger.info({ accessToken: "super-secret-token-value", user: "a@b.c" }, "refreshed super-secret-token-value");
    const file = path.join(dir, "zcrm-typed.log");
    const lines = (await readFile(file, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "info", user: "a@b.c", accessToken: REDACTED, msg: `refreshed ${REDACTED}` });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });
});

describe("logFilePath", () => {
  it("a directory that does not exist yet is created (the log goes in it); a file path gets its parents", () => {
    const root = mkdtempSync(path.join(tmpdir(), "zcrm-log-"));
    const dirLogger = createFileLogger({ filePath: path.join(root, "new", "logs") });
    dirLogger.warn({ event: "x" }, "into a new directory");
    expect(readFileSync(path.join(root, "new", "logs", "zcrm-typed.log"), "utf8")).toContain("into a new directory");
    createFileLogger({ filePath: path.join(root, "deep", "app.log") }).info({}, "file");
    expect(existsSync(path.join(root, "deep", "app.log"))).toBe(true);
  });

  it("a path that cannot be written is a ZohoConfigError at once, naming logFilePath", () => {
    const root = mkdtempSync(path.join(tmpdir(), "zcrm-log-"));
    writeFileSync(path.join(root, "a-file"), "");
    expect(() => createFileLogger({ filePath: path.join(root, "a-file", "logs") })).toThrow(
      expect.objectContaining({ code: "LOG_FILE_UNWRITABLE", keys: ["logFilePath"] }),
    );
  });
});
