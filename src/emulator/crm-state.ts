/**
 * The CRM side of the emulator's state: org, users, module metadata, records and the recycle bin,
 * with the time of each module's last change (for If-Modified-Since). Every mutation is written
 * through to the persistence (a no-op in memory mode).
 */
import type { Clock } from "./clock.js";
import { zohoDateTime } from "./clock.js";
import type { IdGenerator } from "./id-generator.js";
import type { ModuleDef } from "./module-metadata.js";
import type { Persistence } from "./persistence.js";
import { RecordIndexes } from "./record-indexes.js";
import type { DeletedEntry, EmulatorUser, Lookup, StoredRecord } from "./types.js";

export interface CrmStateInit {
  clock: Clock;
  ids: IdGenerator;
  modules: ModuleDef[];
  org: Record<string, unknown>;
  /** Roles and profiles users can be given. */
  roles: Lookup[];
  profiles: Lookup[];
  persistence: Persistence;
  /** When metadata and seed data were "created" (If-Modified-Since on metadata and users). */
  epochMs: number;
  /** Records per bulk-read result page (Zoho: 200 000). */
  bulkReadPageSize?: number;
}

/** The `areas` map; with persistence, `onAccess` learns which areas a request (or timer) touched. */
export class AreaMap extends Map<string, unknown> {
  onAccess: ((name: string) => void) | undefined;

  override get(name: string): unknown {
    this.onAccess?.(name);
    return super.get(name);
  }

  override set(name: string, value: unknown): this {
    this.onAccess?.(name);
    return super.set(name, value);
  }

  /** Reads without counting as a touch (snapshots). */
  peek(name: string): unknown {
    return super.get(name);
  }
}

/** A record change, as notification channels see it. */
export interface RecordChange {
  operation: "insert" | "update" | "delete";
  module: string;
  id: string;
  /** Updates: the API names of the fields whose values changed (system stamps left out). */
  fields?: string[];
}

const STAMPS = new Set(["Modified_Time", "Modified_By"]);

function changedFields(before: StoredRecord, after: StoredRecord): string[] {
  const keys = new Set([...Object.keys(before.data), ...Object.keys(after.data)]);
  return [...keys].filter((k) => !STAMPS.has(k) && JSON.stringify(before.data[k] ?? null) !== JSON.stringify(after.data[k] ?? null));
}

export class CrmState {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly modules: readonly ModuleDef[];
  readonly org: Record<string, unknown>;
  readonly roles: readonly Lookup[];
  readonly profiles: readonly Lookup[];
  readonly epochMs: number;
  readonly bulkReadPageSize: number;
  /** State of route groups kept outside this class (bulk jobs, watch channels, org settings), by
   *  area name; each group creates its entry on first use. With persistence, each area has a codec
   *  (`crm-routes/codecs/`) and is snapshotted after the requests that touched it. */
  readonly areas = new AreaMap();
  /** Called after each record insert, update and delete (notification channels). */
  readonly recordListeners: Array<(change: RecordChange) => void> = [];
  readonly #persistence: Persistence;
  readonly #users = new Map<string, EmulatorUser>();
  readonly #records = new Map<string, Map<string, StoredRecord>>();
  readonly #deleted = new Map<string, Map<string, DeletedEntry>>();
  readonly #changed = new Map<string, number>();
  readonly #indexes = new RecordIndexes((module) => this.#records.get(module)?.values() ?? []);
  #usersChangedMs: number;

  constructor(init: CrmStateInit) {
    this.clock = init.clock;
    this.ids = init.ids;
    this.modules = init.modules;
    this.org = init.org;
    this.roles = init.roles;
    this.profiles = init.profiles;
    this.epochMs = init.epochMs;
    this.bulkReadPageSize = init.bulkReadPageSize ?? 200_000;
    this.#persistence = init.persistence;
    this.#usersChangedMs = init.epochMs;
    for (const module of init.modules) {
      this.#records.set(module.api_name, new Map());
      this.#deleted.set(module.api_name, new Map());
    }
  }

  /** A module by API name (case-insensitive, as Zoho accepts). */
  module(name: string): ModuleDef | undefined {
    const lower = name.toLowerCase();
    return this.modules.find((m) => m.api_name.toLowerCase() === lower);
  }

  // ---- users ----

  users(): EmulatorUser[] {
    return [...this.#users.values()];
  }

  user(id: string): EmulatorUser | undefined {
    return this.#users.get(id);
  }

  userByEmail(email: string): EmulatorUser | undefined {
    const lower = email.toLowerCase();
    return this.users().find((u) => u.email.toLowerCase() === lower);
  }

  saveUser(user: EmulatorUser, options: { touch?: boolean } = {}): void {
    this.#users.set(user.id, user);
    this.#persistence.saveUser(user);
    if (options.touch !== false) this.#usersChangedMs = Math.max(this.#usersChangedMs, this.clock.now());
  }

  get usersChangedMs(): number {
    return this.#usersChangedMs;
  }

  /** Restores a user without touching change times (loading persisted state). */
  restoreUser(user: EmulatorUser, modifiedMs: number): void {
    this.#users.set(user.id, user);
    this.#usersChangedMs = Math.max(this.#usersChangedMs, modifiedMs);
  }

  userLookup(user: EmulatorUser, withEmail = false): Lookup & { email?: string } {
    return withEmail ? { name: user.full_name, id: user.id, email: user.email } : { name: user.full_name, id: user.id };
  }

  // ---- records ----

  records(module: string): StoredRecord[] {
    return [...(this.#records.get(this.#canonical(module))?.values() ?? [])];
  }

  record(module: string, id: string): StoredRecord | undefined {
    return this.#records.get(this.#canonical(module))?.get(id);
  }

  /** Inserts or replaces a record. */
  saveRecord(record: StoredRecord): void {
    const bucket = this.#records.get(record.module);
    if (!bucket) throw new Error(`unknown module ${record.module}`);
    const before = bucket.get(record.id);
    const operation = before ? "update" : "insert";
    bucket.set(record.id, record);
    this.#indexes.changed(record.module, before, record);
    this.#persistence.saveRecord(record);
    this.#touch(record.module, record.modifiedMs);
    if (this.recordListeners.length === 0) return;
    const change: RecordChange = { operation, module: record.module, id: record.id, ...(before ? { fields: changedFields(before, record) } : {}) };
    for (const listener of this.recordListeners) listener(change);
  }

  /** Restores a record without persisting it again (loading persisted state). */
  restoreRecord(record: StoredRecord): void {
    const bucket = this.#records.get(record.module);
    if (!bucket) return;
    this.#indexes.changed(record.module, bucket.get(record.id), record);
    bucket.set(record.id, record);
    this.#touch(record.module, record.modifiedMs);
  }

  /** Adds many new records in one persistence transaction (generated data); no listeners run. */
  insertRecords(records: readonly StoredRecord[]): void {
    const modules = new Set<string>();
    for (const record of records) {
      const bucket = this.#records.get(record.module);
      if (!bucket) throw new Error(`unknown module ${record.module}`);
      bucket.set(record.id, record);
      modules.add(record.module);
      this.#touch(record.module, record.modifiedMs);
    }
    for (const module of modules) this.#indexes.reset(module);
    this.#persistence.saveRecords(records);
  }

  /** The id of the first record of `module` whose `field` holds this `comparable()` value (indexed). */
  findByValue(module: string, field: string, key: string): string | undefined {
    return this.#indexes.find(this.#canonical(module), field, key);
  }

  /** The records by Modified_Time (second), ties by id ascending; cached until the next write. */
  recordsByModified(module: string): readonly StoredRecord[] {
    return this.#indexes.byModified(this.#canonical(module));
  }

  /** Moves a record to the recycle bin. */
  deleteRecord(module: string, id: string, by: EmulatorUser): DeletedEntry | undefined {
    const name = this.#canonical(module);
    const record = this.#records.get(name)?.get(id);
    if (!record) return undefined;
    const now = this.clock.now();
    this.#records.get(name)!.delete(id);
    this.#indexes.changed(name, record, undefined);
    this.#persistence.deleteRecord(name, id);
    const def = this.module(name)!;
    const display = record.data[def.displayField];
    const createdBy = record.data.Created_By as Lookup | undefined;
    const entry: DeletedEntry = {
      module: name,
      id,
      display_name: typeof display === "string" ? display : null,
      type: "recycle",
      deleted_by: { name: by.full_name, id: by.id },
      created_by: createdBy ? { name: createdBy.name, id: createdBy.id } : null,
      deleted_time: zohoDateTime(now),
      deletedMs: now,
    };
    this.#deleted.get(name)!.set(id, entry);
    this.#persistence.saveDeleted(entry);
    this.#touch(name, now);
    for (const listener of this.recordListeners) listener({ operation: "delete", module: name, id });
    return entry;
  }

  restoreDeleted(entry: DeletedEntry): void {
    this.#deleted.get(entry.module)?.set(entry.id, entry);
    this.#touch(entry.module, entry.deletedMs);
  }

  deleted(module: string): DeletedEntry[] {
    return [...(this.#deleted.get(this.#canonical(module))?.values() ?? [])];
  }

  /** When a module's records last changed (insert, update, delete); the epoch when never. */
  lastChange(module: string): number {
    return this.#changed.get(this.#canonical(module)) ?? this.epochMs;
  }

  /** The display name of a record (lookups' `name`). */
  displayName(module: ModuleDef, record: StoredRecord): string {
    const value = record.data[module.displayField];
    return typeof value === "string" ? value : record.id;
  }

  #canonical(module: string): string {
    return this.module(module)?.api_name ?? module;
  }

  #touch(module: string, ms: number): void {
    this.#changed.set(module, Math.max(this.#changed.get(module) ?? this.epochMs, ms));
  }
}
