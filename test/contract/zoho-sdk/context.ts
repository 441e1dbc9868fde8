/**
 * What every area of the Zoho SDK suite gets: the ledger, the session (emulator, SDK state, temp
 * dir), and small builders for the SDK's parameter and header maps and upload files.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { Ledger } from "./ledger.js";
import { type ZohoValue, zohoModule } from "./load.js";
import type { ZohoSdkSession } from "./session.js";

export interface AreaContext {
  ledger: Ledger;
  session: ZohoSdkSession;
}

const { ParameterMap } = zohoModule("routes/parameter_map");
const { HeaderMap } = zohoModule("routes/header_map");
const { StreamWrapper } = zohoModule("utils/util/stream_wrapper");
const { Choice } = zohoModule("utils/util/choice");

/** A picklist (or other enumerated) value as the SDK takes it. */
export const choice = (value: string): ZohoValue => new Choice(value);

/** A ParameterMap of the SDK with these (Param, value) pairs. */
export async function params(...pairs: Array<[ZohoValue, unknown]>): Promise<ZohoValue> {
  const map = new ParameterMap();
  for (const [param, value] of pairs) await map.add(param, value);
  return map;
}

/** A HeaderMap of the SDK with these (Header, value) pairs. */
export async function headers(...pairs: Array<[ZohoValue, unknown]>): Promise<ZohoValue> {
  const map = new HeaderMap();
  for (const [header, value] of pairs) await map.add(header, value);
  return map;
}

/** Writes `bytes` to the session's temp dir and wraps the file as the SDK's StreamWrapper (its upload type). */
export async function uploadFile(ctx: AreaContext, name: string, bytes: Buffer): Promise<ZohoValue> {
  const file = path.join(ctx.session.dir, name);
  await writeFile(file, bytes);
  return new StreamWrapper(undefined, undefined, file);
}

/** The bytes of a StreamWrapper the SDK returned for a download. */
export async function downloaded(wrapper: ZohoValue): Promise<Buffer> {
  const stream = wrapper.getStream();
  if (Buffer.isBuffer(stream)) return stream;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** A record id as the SDK's operations take it. */
export const big = (id: unknown): bigint => BigInt(String(id));
