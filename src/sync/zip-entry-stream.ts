/**
 * The first entry of a ZIP file as a stream, without reading the archive into memory: the local
 * file header is parsed from the head of the file, then the entry's bytes flow through
 * `inflateRaw` (deflated) or as they are (stored). A bulk-read result holds exactly one CSV entry.
 * No ZIP64 or encryption (Zoho's results need neither).
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import type { Readable } from "node:stream";
import { createInflateRaw } from "node:zlib";

const LOCAL_HEADER = 0x04034b50;

export async function zipFirstEntryStream(file: string): Promise<{ name: string; stream: Readable }> {
  const handle = await open(file, "r");
  let header: Buffer;
  try {
    header = Buffer.alloc(30);
    const { bytesRead } = await handle.read(header, 0, 30, 0);
    if (bytesRead < 30 || header.readUInt32LE(0) !== LOCAL_HEADER) throw new Error("not a ZIP archive (no local file header at the start)");
    const flags = header.readUInt16LE(6);
    if (flags & 0x1) throw new Error("encrypted ZIP entries are not supported");
    const method = header.readUInt16LE(8);
    const compressedSize = header.readUInt32LE(18);
    const nameLength = header.readUInt16LE(26);
    const extraLength = header.readUInt16LE(28);
    const nameBuffer = Buffer.alloc(nameLength);
    await handle.read(nameBuffer, 0, nameLength, 30);
    const start = 30 + nameLength + extraLength;
    // With a data descriptor (flag bit 3) the size is unknown here: deflate ends the stream itself.
    const sized = (flags & 0x8) === 0 && compressedSize > 0;
    const raw = createReadStream(file, { start, ...(sized ? { end: start + compressedSize - 1 } : {}) });
    if (method === 0) {
      if (!sized) throw new Error("a stored ZIP entry without its size is not supported");
      return { name: nameBuffer.toString("utf8"), stream: raw };
    }
    if (method !== 8) throw new Error(`ZIP compression method ${method} is not supported (deflate or stored only)`);
    const inflate = createInflateRaw();
    raw.on("error", (error) => inflate.destroy(error));
    return { name: nameBuffer.toString("utf8"), stream: raw.pipe(inflate) };
  } finally {
    await handle.close();
  }
}
