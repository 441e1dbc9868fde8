/**
 * Types shared by the emulator's pieces: options, replies, routes, stored records and users.
 */
import type { IncomingHttpHeaders } from "node:http";

export interface EmulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Seed of the generated data (names, ids): the same seed gives the same records. Default "zcrm". */
  seed?: number | string;
  /** Seed the modules with sample records (default true); false starts with empty modules. */
  seedRecords?: boolean;
  /** Also generate this many realistic records per module (Accounts, Contacts, Deals, Leads by
   *  default; see `generatedModules`), deterministic from `seed`. Default 0. 100 000 per module
   *  seed in seconds; with `persistPath` they are written in one transaction, on first start only. */
  generatedRecords?: number;
  /** The modules `generatedRecords` fills. Default: Accounts, Contacts, Deals, Leads. */
  generatedModules?: string[];
  /** Records per bulk-read result page (`result.per_page`). Default 200 000, as Zoho; tests set a
   *  small one to get multi-page jobs from a little data. */
  bulkReadPageSize?: number;
  /** "real" (default): emulator time follows the wall clock, so jobs finish on their own. "manual":
   *  emulator time stands still until advanced (`state.advanceClock`, `POST /emulator/clock`), so a
   *  test's outcome never depends on machine speed. */
  clock?: "real" | "manual";
  /** Lifetime of access tokens in seconds. Default 3600. */
  accessTokenTtlSec?: number;
  /** Lifetime of grant codes in seconds. Default 120. */
  grantTtlSec?: number;
  /** Validate request and response bodies against the bundled spec. Default true. */
  validate?: boolean;
  /** Keep the whole emulator state (records, users, tokens, every route area, clock offset, id counters)
   *  in this SQLite file: it survives restarts and crashes. Default: memory only. */
  persistPath?: string;
  /** The registered OAuth client. Defaults: EMULATOR_CLIENT_ID / EMULATOR_CLIENT_SECRET. */
  clientId?: string;
  clientSecret?: string;
  /** When set, token requests must send this redirect_uri for grant exchanges. */
  redirectUri?: string;
  /** Path of the bundled spec (`generated/crm-v2.openapi.json`); found next to the package by default. */
  specPath?: string;
  /** Append one line per answered operation (operationId, grant type, status, `ZCRM_TEST_FILE`) to this
   *  file; default: `ZCRM_EMULATOR_OPERATION_LOG`, else off. Used to count operations tests really ran. */
  operationLog?: string;
  /** Where emulator problems (response validation failures) are reported. Default console.warn. */
  log?: (message: string) => void;
}

/** What a handler answers; the server writes it (and applies faults). */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** A JSON body. */
  body?: unknown;
  /** Raw text or bytes instead of JSON (set content-type in headers): binary downloads. */
  raw?: string | Buffer;
}

export interface Lookup {
  name: string;
  id: string;
}

export interface EmulatorUser {
  id: string;
  zuid: string;
  email: string;
  first_name: string | null;
  last_name: string;
  full_name: string;
  role: Lookup;
  profile: Lookup;
  status: "active" | "disabled" | "deleted";
  confirm: boolean;
  created_time: string;
  Modified_Time: string;
  [key: string]: unknown;
}

/** A record as kept: the output-shaped values plus change times in ms. */
export interface StoredRecord {
  module: string;
  id: string;
  data: Record<string, unknown>;
  createdMs: number;
  modifiedMs: number;
}

export interface DeletedEntry {
  module: string;
  id: string;
  display_name: string | null;
  type: "recycle" | "permanent";
  deleted_by: Lookup | null;
  created_by: Lookup | null;
  deleted_time: string;
  deletedMs: number;
}

/** The parts of an incoming CRM request a handler sees. */
export interface CrmRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Path parameters of the matched template. */
  params: Record<string, string>;
  /** The parsed JSON body, when the operation takes one. */
  body: unknown;
  /** The request body as received (multipart uploads, free-form bodies). */
  rawBody: Buffer;
  /** The user behind the access token. */
  user: EmulatorUser;
}

export type ScopeFamily = "modules" | "settings" | "users" | "org" | "coql" | "bulk" | "notifications" | "files" | "functions";
