/**
 * Write-through persistence in a SQLite file (better-sqlite3): records, the recycle bin, users,
 * tokens, counters and the snapshots of the route areas survive an emulator restart. Loaded only when `persistPath` is set.
 */
import type { Persistence, PersistedState, PersistedToken } from "./persistence.js";
import type { DeletedEntry, EmulatorUser, StoredRecord } from "./types.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS emulator_kv (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS emulator_records (module TEXT NOT NULL, id TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (module, id));
CREATE TABLE IF NOT EXISTS emulator_deleted (module TEXT NOT NULL, id TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (module, id));
CREATE TABLE IF NOT EXISTS emulator_users (id TEXT PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS emulator_tokens (token TEXT PRIMARY KEY, kind TEXT NOT NULL, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS emulator_areas (name TEXT PRIMARY KEY, json TEXT NOT NULL);
`;

export async function sqlitePersistence(file: string): Promise<Persistence> {
  const { default: Database } = await import("better-sqlite3");
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.exec(SCHEMA);
  const put = {
    kv: db.prepare("INSERT INTO emulator_kv (k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v"),
    record: db.prepare("INSERT INTO emulator_records (module, id, json) VALUES (?, ?, ?) ON CONFLICT(module, id) DO UPDATE SET json = excluded.json"),
    deleteRecord: db.prepare("DELETE FROM emulator_records WHERE module = ? AND id = ?"),
    deleted: db.prepare("INSERT INTO emulator_deleted (module, id, json) VALUES (?, ?, ?) ON CONFLICT(module, id) DO UPDATE SET json = excluded.json"),
    user: db.prepare("INSERT INTO emulator_users (id, json) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET json = excluded.json"),
    token: db.prepare("INSERT INTO emulator_tokens (token, kind, json) VALUES (?, ?, ?) ON CONFLICT(token) DO UPDATE SET json = excluded.json"),
    deleteToken: db.prepare("DELETE FROM emulator_tokens WHERE token = ?"),
    area: db.prepare("INSERT INTO emulator_areas (name, json) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET json = excluded.json"),
  };
  const saveAreas = db.transaction((entries: Array<[string, string]>) => {
    for (const [name, json] of entries) put.area.run(name, json);
  });
  const saveRecords = db.transaction((records: readonly StoredRecord[]) => {
    for (const record of records) put.record.run(record.module, record.id, JSON.stringify(record));
  });
  const rows = <T>(sql: string) => db.prepare(sql).all() as T[];

  return {
    load(): PersistedState | undefined {
      const kv = new Map(rows<{ k: string; v: string }>("SELECT k, v FROM emulator_kv").map((r) => [r.k, JSON.parse(r.v) as unknown]));
      if (!kv.has("seeded")) return undefined;
      return {
        kv,
        records: rows<{ json: string }>("SELECT json FROM emulator_records ORDER BY rowid").map((r) => JSON.parse(r.json) as StoredRecord),
        deleted: rows<{ json: string }>("SELECT json FROM emulator_deleted ORDER BY rowid").map((r) => JSON.parse(r.json) as DeletedEntry),
        users: rows<{ json: string }>("SELECT json FROM emulator_users ORDER BY rowid").map((r) => JSON.parse(r.json) as EmulatorUser),
        tokens: rows<{ token: string; kind: string; json: string }>("SELECT token, kind, json FROM emulator_tokens ORDER BY rowid").map(
          (r): PersistedToken => ({ token: r.token, kind: r.kind === "refresh" ? "refresh" : "access", data: JSON.parse(r.json) as Record<string, unknown> }),
        ),
        areas: new Map(rows<{ name: string; json: string }>("SELECT name, json FROM emulator_areas").map((r) => [r.name, r.json])),
      };
    },
    saveKv: (key, value) => void put.kv.run(key, JSON.stringify(value)),
    saveRecord: (record) => void put.record.run(record.module, record.id, JSON.stringify(record)),
    saveRecords: (records) => void saveRecords(records),
    deleteRecord: (module, id) => void put.deleteRecord.run(module, id),
    saveDeleted: (entry) => void put.deleted.run(entry.module, entry.id, JSON.stringify(entry)),
    saveUser: (user) => void put.user.run(user.id, JSON.stringify(user)),
    saveToken: (token) => void put.token.run(token.token, token.kind, JSON.stringify(token.data)),
    deleteToken: (token) => void put.deleteToken.run(token),
    saveAreas: (entries) => void saveAreas(entries),
    close: () => db.close(),
  };
}
