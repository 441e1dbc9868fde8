/**
 * Indexes over a module's records that keep writes and list calls fast at 100k records: field
 * values for unique and duplicate checks (built per field on first use, then kept up to date by every write, so a unique check is no
 * scan) and the records in Modified_Time order (rebuilt lazily after a write, so writes stay O(1)).
 */
import { comparable } from "./field-values.js";
import type { StoredRecord } from "./types.js";

/** Modified_Time has second resolution: ordering and If-Modified-Since use the second. */
export const modifiedSecond = (record: StoredRecord): number => Math.floor(record.modifiedMs / 1000) * 1000;

/** Ids are digit strings: shorter is smaller, then text order. */
export const compareIds = (a: string, b: string): number => (a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0);

function add(values: Map<string, string[]>, key: string | undefined, id: string | undefined): void {
  if (key === undefined || id === undefined) return;
  const ids = values.get(key);
  if (ids) ids.push(id);
  else values.set(key, [id]);
}

function remove(values: Map<string, string[]>, key: string, id: string): void {
  const ids = values.get(key);
  const at = ids ? ids.indexOf(id) : -1;
  if (at < 0) return;
  ids!.splice(at, 1);
  if (ids!.length === 0) values.delete(key);
}

export class RecordIndexes {
  readonly #all: (module: string) => Iterable<StoredRecord>;
  /** module → field → comparable value → ids of the records holding it, oldest first. */
  readonly #values = new Map<string, Map<string, Map<string, string[]>>>();
  readonly #byModified = new Map<string, StoredRecord[]>();

  constructor(all: (module: string) => Iterable<StoredRecord>) {
    this.#all = all;
  }

  /** The id of the first record whose `field` holds `key` (a `comparable()` value), if any. */
  find(module: string, field: string, key: string): string | undefined {
    let fields = this.#values.get(module);
    if (!fields) {
      fields = new Map();
      this.#values.set(module, fields);
    }
    let values = fields.get(field);
    if (!values) {
      values = new Map();
      for (const record of this.#all(module)) add(values, comparable(record.data[field]), record.id);
      fields.set(field, values);
    }
    return values.get(key)?.[0];
  }

  /** A record was inserted, replaced (`before`) or deleted (`after` undefined). */
  changed(module: string, before: StoredRecord | undefined, after: StoredRecord | undefined): void {
    this.#byModified.delete(module);
    const fields = this.#values.get(module);
    if (!fields) return;
    for (const [field, values] of fields) {
      const old = before ? comparable(before.data[field]) : undefined;
      const now = after ? comparable(after.data[field]) : undefined;
      if (old === now) continue;
      if (old !== undefined) remove(values, old, before!.id);
      add(values, now, after?.id);
    }
  }

  /** Many records changed at once (loading, generating): drop what depends on them. */
  reset(module: string): void {
    this.#byModified.delete(module);
    this.#values.delete(module);
  }

  /** The module's records by Modified_Time (second), ties by id ascending; cached until a write. */
  byModified(module: string): readonly StoredRecord[] {
    let sorted = this.#byModified.get(module);
    if (!sorted) {
      sorted = [...this.#all(module)].sort((a, b) => modifiedSecond(a) - modifiedSecond(b) || compareIds(a.id, b.id));
      this.#byModified.set(module, sorted);
    }
    return sorted;
  }
}
