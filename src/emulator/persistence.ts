/**
 * Where the emulator's state is written through to. The default keeps nothing (memory only);
 * `sqlite-persistence.ts` keeps it in a SQLite file so the state survives a restart.
 */
import type { DeletedEntry, EmulatorUser, StoredRecord } from "./types.js";

export interface PersistedToken {
  token: string;
  kind: "refresh" | "access";
  data: Record<string, unknown>;
}

export interface PersistedState {
  kv: Map<string, unknown>;
  records: StoredRecord[];
  deleted: DeletedEntry[];
  users: EmulatorUser[];
  tokens: PersistedToken[];
  /** Snapshots of the other state (route areas, clock offset, counters...) as JSON text, by name. */
  areas: Map<string, string>;
}

export interface Persistence {
  /** The saved state, or undefined when the store is new (then the emulator seeds it). */
  load(): PersistedState | undefined;
  saveKv(key: string, value: unknown): void;
  saveRecord(record: StoredRecord): void;
  /** Saves many records in one transaction (generated data). */
  saveRecords(records: readonly StoredRecord[]): void;
  deleteRecord(module: string, id: string): void;
  saveDeleted(entry: DeletedEntry): void;
  saveUser(user: EmulatorUser): void;
  saveToken(token: PersistedToken): void;
  deleteToken(token: string): void;
  /** Replaces these snapshots (name → JSON text), all or none. */
  saveAreas(entries: Array<[name: string, json: string]>): void;
  close(): void;
}

/** Keeps nothing: the state lives and dies with the emulator instance. */
export function memoryPersistence(): Persistence {
  return {
    load: () => undefined,
    saveKv: () => {},
    saveRecord: () => {},
    saveRecords: () => {},
    deleteRecord: () => {},
    saveDeleted: () => {},
    saveUser: () => {},
    saveToken: () => {},
    deleteToken: () => {},
    saveAreas: () => {},
    close: () => {},
  };
}
