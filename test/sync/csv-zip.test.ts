/**
 * The bulk-read file readers: CSV rows from any chunking of the stream (every split point of a
 * tricky file), and the first ZIP entry streamed — deflated or stored — as the emulator and Zoho
 * write it.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { toCsv } from "../../src/emulator/csv-codec.js";
import { writeZip } from "../../src/emulator/zip.js";
import { csvRows } from "../../src/sync/csv-rows.js";
import { zipFirstEntryStream } from "../../src/sync/zip-entry-stream.js";

async function rowsOf(chunks: Array<string | Buffer>): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const row of csvRows(Readable.from(chunks))) rows.push(row);
  return rows;
}

const TRICKY = '\ufeffId,Name,Notes\r\n1,"Smith, Ann","said ""hi""\nthen left"\r\n2,,\r\n3,Zoë ✓,"a,b"\n4,"",x';
const EXPECTED = [
  ["Id", "Name", "Notes"],
  ["1", "Smith, Ann", 'said "hi"\nthen left'],
  ["2", "", ""],
  ["3", "Zoë ✓", "a,b"],
  ["4", "", "x"],
];

describe("csvRows", () => {
  it("parses quotes, doubled quotes, line breaks in fields, CRLF and LF, a BOM, empty fields, no final newline", async () => {
    expect(await rowsOf([TRICKY])).toEqual(EXPECTED);
    expect(await rowsOf([`${TRICKY}\r\n`])).toEqual(EXPECTED);
  });

  it("gives the same rows whatever the chunk boundaries, even inside a multi-byte character", async () => {
    const bytes = Buffer.from(TRICKY, "utf8");
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await rowsOf([bytes.subarray(0, cut), bytes.subarray(cut)]), `split at byte ${cut}`).toEqual(EXPECTED);
    }
    expect(await rowsOf([...bytes].map((b) => Buffer.from([b])))).toEqual(EXPECTED);
  });

  it("reads what the emulator's CSV writer writes", async () => {
    const data = [
      ["Id", "A", "B"],
      ["1", 'x "quoted", y', "line\r\nbreak"],
      ["2", "", "plain"],
    ];
    expect(await rowsOf([toCsv(data[0]!, data.slice(1))])).toEqual(data);
  });

  it("fails on a file cut inside a quoted field", async () => {
    await expect(rowsOf(['Id,Name\n1,"unfinished'])).rejects.toThrow(/ends inside a quoted field/);
  });
});

describe("zipFirstEntryStream", () => {
  const dir = mkdtempSync(join(tmpdir(), "zcrm-zip-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("streams the CSV entry out of a bulk-read ZIP", async () => {
    const text = `Id,Name\n${Array.from({ length: 5000 }, (_, i) => `${i},Name ${i}`).join("\n")}\n`;
    const file = join(dir, "result.zip");
    writeFileSync(file, writeZip([{ name: "123.csv", data: Buffer.from(text) }]));
    const { name, stream } = await zipFirstEntryStream(file);
    expect(name).toBe("123.csv");
    const rows: string[][] = [];
    for await (const row of csvRows(stream)) rows.push(row);
    expect(rows).toHaveLength(5001);
    expect(rows[5000]).toEqual(["4999", "Name 4999"]);
  });

  it("refuses a file that is not a ZIP", async () => {
    const file = join(dir, "not.zip");
    writeFileSync(file, "<html>oops</html>".padEnd(64, " "));
    await expect(zipFirstEntryStream(file)).rejects.toThrow(/not a ZIP archive/);
  });
});
