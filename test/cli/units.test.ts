/** Unit tests of the CLI's pure parts: CSV cells and rows, config precedence, input parsing, exit codes. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { columnsForFields, columnsOf, csvCell, csvRow, flattenRecord, recordRow } from "../../src/cli/csv.js";
import { resolveCliConfig } from "../../src/cli/config.js";
import { exitCodeFor } from "../../src/cli/exit-codes.js";
import { idsFromInput, recordsFromInput } from "../../src/cli/commands/records.js";
import { type FileTokenStore, ZohoApiError, ZohoAuthError, ZohoConfigError, ZohoNetworkError } from "../../src/index.js";
import { parseCsv } from "./csv-parse.js";

describe("csv", () => {
  it("quotes only what needs quoting, doubles quotes, uses CRLF", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('say "hi", ok')).toBe('"say ""hi"", ok"');
    expect(csvCell("a\nb")).toBe('"a\nb"');
    expect(csvCell(" lead")).toBe('" lead"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(0)).toBe("0");
    expect(csvCell(false)).toBe("false");
    expect(csvCell(["a", "b;c"])).toBe("a;b;c");
    expect(csvCell([{ id: "1" }])).toBe('"[{""id"":""1""}]"');
    expect(csvRow(["a", "b,c"])).toBe('a,"b,c"\r\n');
    expect(parseCsv(csvRow(['x"y', "1\r\n2", ""]))).toEqual([['x"y', "1\r\n2", ""]]);
  });

  it("flattens lookups to dotted columns; id first; --fields expand a lookup", () => {
    const records = [
      { Last_Name: "A", id: "1", Owner: { name: "P", id: "9" }, Tag: [] },
      { id: "2", Last_Name: "B", Owner: null, Extra: "x" },
    ];
    expect(flattenRecord(records[0]!)).toEqual({ Last_Name: "A", id: "1", "Owner.name": "P", "Owner.id": "9", Tag: [] });
    expect(columnsOf(records)).toEqual(["id", "Last_Name", "Owner.name", "Owner.id", "Tag", "Owner", "Extra"]);
    expect(columnsForFields(["Owner", "Last_Name", "Owner.email", "Missing"], records)).toEqual([
      "Owner.name",
      "Owner.id",
      "Owner",
      "Last_Name",
      "Owner.email",
      "Missing",
    ]);
    expect(recordRow({ id: "3", Owner: { name: "Q", id: "8" } }, ["id", "Owner.id", "Last_Name"])).toBe("3,8,\r\n");
    expect(recordRow({ id: "4", Owner: { id: "7" } }, ["id", "Owner"])).toBe('4,"{""id"":""7""}"\r\n');
  });
});

describe("resolveCliConfig", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "zcrm-config-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("flags > env > file, per key; the file's relative tokenFile is relative to the file", async () => {
    const file = path.join(dir, "zcrm.json");
    await writeFile(
      file,
      JSON.stringify({ clientId: "file-id", clientSecret: "file-secret", user: "file@example.com", dataCenter: "eu", tokenFile: "t.json", timeoutMs: 5000 }),
    );
    const env = { ZCRM_CONFIG: file, ZCRM_USER: "env@example.com", ZCRM_DATA_CENTER: "in", ZCRM_CLIENT_ID: "" };
    const resolved = await resolveCliConfig({ dataCenter: "au" }, env, dir);
    expect(resolved.options).toMatchObject({ clientId: "file-id", clientSecret: "file-secret", user: "env@example.com", dataCenter: "au", timeoutMs: 5000 });
    expect(resolved.sources).toMatchObject({ clientId: "file", user: "env", dataCenter: "flag" });
    expect(resolved.tokenFile).toBe(path.join(dir, "t.json"));
    expect((resolved.options.tokenStore as FileTokenStore).path).toBe(path.join(dir, "t.json"));
    expect(resolved.secrets).toEqual(["file-secret"]);
    const flagged = await resolveCliConfig({ tokenFile: "other.json", timeout: "10" }, { ...env, ZCRM_TOKEN_FILE: "env.json" }, dir);
    expect(flagged.tokenFile).toBe(path.join(dir, "other.json"));
    expect(flagged.options.timeoutMs).toBe(10);
  });

  it("passes a Python SDK dictionary through fromZcrmsdkConfig; a token file from flags replaces its persistence", async () => {
    const file = path.join(dir, "py.json");
    await writeFile(
      file,
      JSON.stringify({
        client_id: "py-id",
        client_secret: "py-secret",
        redirect_uri: "http://localhost/cb",
        currentUserEmail: "py@example.com",
        sandbox: "true",
      }),
    );
    const resolved = await resolveCliConfig({ config: file, tokenFile: "tok.json" }, {}, dir);
    expect(resolved.options).toMatchObject({
      clientId: "py-id",
      clientSecret: "py-secret",
      redirectUri: "http://localhost/cb",
      user: "py@example.com",
      environment: "sandbox",
    });
    expect((resolved.options.tokenStore as FileTokenStore).path).toBe(path.join(dir, "tok.json"));
    // Without a token file the dictionary's own persistence rules apply (MySQL needs its keys).
    await expect(resolveCliConfig({ config: file }, {}, dir)).rejects.toMatchObject({
      name: "ZohoConfigError",
      keys: expect.arrayContaining(["mysql_username"]),
    });
  });
});

describe("input and exit codes", () => {
  it("accepts an object, an array or {data: [...]}; ids as strings or {id}", () => {
    expect(recordsFromInput({ a: 1 })).toEqual([{ a: 1 }]);
    expect(recordsFromInput([{ a: 1 }, { b: 2 }])).toHaveLength(2);
    expect(recordsFromInput({ data: [{ a: 1 }] })).toEqual([{ a: 1 }]);
    expect(() => recordsFromInput([1])).toThrow(/not a JSON object/);
    expect(() => recordsFromInput([])).toThrow(/no records/);
    expect(idsFromInput(["1", { id: "2" }, 3])).toEqual(["1", "2", "3"]);
    expect(() => idsFromInput([{}])).toThrow(/neither an id/);
  });

  it("maps error kinds to exit codes", () => {
    expect(exitCodeFor(new ZohoConfigError("x", { code: "X" }))).toBe(2);
    expect(exitCodeFor(new ZohoAuthError("x", { code: "X" }))).toBe(3);
    expect(exitCodeFor(new ZohoApiError("x", { code: "INVALID_OAUTHTOKEN", status: 401 }))).toBe(3);
    expect(exitCodeFor(new ZohoNetworkError("x", { code: "X" }))).toBe(4);
    expect(exitCodeFor(new ZohoApiError("x", { code: "INVALID_DATA", status: 400 }))).toBe(1);
    expect(exitCodeFor(new Error("x"))).toBe(1);
  });
});
