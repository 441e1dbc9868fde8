/**
 * How one entry of `CrmState.areas` is saved and restored with `persistPath`: `snapshot` turns the
 * live value into JSON-able data (Buffers as base64, object references as ids), `restore` builds
 * the value back for a new emulator instance (re-arming timers from the emulator clock).
 */
import type { CrmState } from "./crm-state.js";

export interface AreaCodec {
  /** The area's key in `CrmState.areas`. */
  readonly name: string;
  snapshot(value: unknown): unknown;
  restore(json: unknown, state: CrmState): unknown;
}

/** A typed codec, erased for the registry. */
export function areaCodec<T, J>(codec: { name: string; snapshot(value: T): J; restore(json: J, state: CrmState): T }): AreaCodec {
  return codec as unknown as AreaCodec;
}

// Snapshots run after every request that touches an area: encode each stored Buffer once.
const encoded = new WeakMap<Buffer, string>();

export function toBase64(bytes: Buffer): string {
  let text = encoded.get(bytes);
  if (text === undefined) {
    text = bytes.toString("base64");
    encoded.set(bytes, text);
  }
  return text;
}

export function fromBase64(text: string): Buffer {
  const bytes = Buffer.from(text, "base64");
  encoded.set(bytes, text);
  return bytes;
}
