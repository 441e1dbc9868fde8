/**
 * `crm.module(name)` / `crm.modules<Org>()(name)` / `createModuleApi<Org>(crm)(name)`: record
 * operations on one module at a time. `module("Leads").create(leads)` takes `LeadsCreate[]`,
 * returns per-record outcomes, splits the input into Zoho's 100-record write calls, and turns
 * request-level errors into `ZohoApiError`.
 *
 * Types of a module, first match wins: the org's own types (`Org`, the `OrgModules` that
 * `zcrm gen-types` writes), then the shipped types of Zoho's standard modules
 * (generated/standard-modules.ts), then the spec's open `Record` (custom modules). Field names in
 * `fields`, `sortBy` and `duplicateCheckFields` are the module's own.
 *
 *   const module = crm.modules<OrgModules>();
 *   const { succeeded, failed } = await module("Leads").create([{ Last_Name: "Boyle" }]);
 *   for await (const lead of module("Leads").iterate({ fields: ["Last_Name"] })) lead.Last_Name;
 */
import type { components } from "../generated/crm-v2.js";
import type { StandardModules } from "../generated/standard-modules.js";
import type { ZohoCRMClient } from "./client.js";
import { apiError, type LooseResult } from "./api-error.js";
import type { PaginateOptions } from "./paginate.js";
import { splitWriteResults, type SplitWriteResults, type WriteOutcome, type WriteResultItem } from "./results.js";

export type ZohoRecord = components["schemas"]["Record"];
export type RecordInfo = components["schemas"]["Info"];
export type RecordWriteResult = components["schemas"]["WriteResult"] & WriteResultItem;
export type UpsertResult = components["schemas"]["UpsertWriteResult"] & WriteResultItem;
export type Trigger = components["schemas"]["Trigger"];

/** What one module's types must provide (what `zcrm gen-types` emits per module). */
export interface ModuleTypes {
  record: object;
  create: object;
  update: object;
}

/** The types of a module nothing else describes (a custom module): the spec's open record. */
export type GenericModule = { record: ZohoRecord; create: ZohoRecord; update: ZohoRecord & { id: string } };

/**
 * Every module name open: `crm.modules<GenericOrg>()` types even standard modules with the spec's
 * open record (the behaviour before standard types shipped).
 */
export type GenericOrg = Record<string, GenericModule>;

/** No org types: standard modules get their shipped types, any other name the open record. */
export type NoOrgTypes = { [K in never]: ModuleTypes };

export type { StandardModules, StandardModuleName } from "../generated/standard-modules.js";

/** A module's types: the org's (`Org`), else the shipped standard ones, else the open record. */
export type ModuleTypesOf<Org, M extends string> = M extends keyof Org ? Org[M] : M extends keyof StandardModules ? StandardModules[M] : GenericModule;

/** The field API names of a module: the keys of its record (any string for the open record). */
export type FieldName<T extends ModuleTypes> = Extract<keyof T["record"], string>;

/** The parts of the client the module API uses. */
export type ModuleApiClient = Pick<ZohoCRMClient, "GET" | "POST" | "PUT" | "DELETE" | "paginate">;

/** Zoho's cap on records per write call. */
export const MAX_WRITE_BATCH = 100;

/** `F`: the module's field names (`FieldName<T>`); any string for the open record. */
export interface ListOptions<F extends string = string> {
  /** Field API names to return (at most 50). */
  fields?: readonly F[];
  /** Only these record ids. */
  ids?: readonly string[];
  sortBy?: F;
  sortOrder?: "asc" | "desc";
  /** Custom view id. */
  cvid?: string;
  approved?: "true" | "false" | "both";
  converted?: "true" | "false" | "both";
  /** Only records changed after this time; a page with no change is empty. */
  ifModifiedSince?: string | Date;
}

export interface PageOptions {
  /** Page number, from 1. */
  page?: number;
  /** Records per page, at most 200 (the default). */
  perPage?: number;
}

export interface IterateOptions<F extends string = string> extends ListOptions<F> {
  /** Stop after this many records. */
  maxRecords?: number;
  /** Records per page, at most 200 (the default). */
  perPage?: number;
}

export interface ListResult<R> {
  records: R[];
  page: number;
  perPage: number;
  /** True when another page exists. */
  moreRecords: boolean;
  /** Zoho's `info` block as sent (undefined for an empty 204 page). */
  info: RecordInfo | undefined;
}

export interface RecordPage<R> {
  page: number;
  records: R[];
  moreRecords: boolean;
}

export type SearchQuery =
  | { criteria: string; email?: undefined; phone?: undefined; word?: undefined }
  | { email: string; criteria?: undefined; phone?: undefined; word?: undefined }
  | { phone: string; criteria?: undefined; email?: undefined; word?: undefined }
  | { word: string; criteria?: undefined; email?: undefined; phone?: undefined };

export interface SearchOptions<F extends string = string> extends PageOptions {
  fields?: readonly F[];
  approved?: "true" | "false" | "both";
  converted?: "true" | "false" | "both";
}

export interface WriteOptions {
  /** Automations to run; `[]` runs none. Default: all. */
  trigger?: readonly Trigger[];
  /** Lead assignment rule id (Leads inserts). */
  larId?: string;
}

export interface UpsertOptions<F extends string = string> extends WriteOptions {
  /** API names of the fields that identify an existing record (default: the module's own). */
  duplicateCheckFields?: readonly F[];
}

export interface DeleteOptions {
  /** Run workflow rules on delete. */
  wfTrigger?: boolean;
}

/** Per-record outcomes of a write, indexed by the record's position in the whole input. */
export type WriteSummary<I, R extends WriteResultItem = RecordWriteResult> = SplitWriteResults<I, R>;

export interface ModuleApi<T extends ModuleTypes> {
  /** The module's API name. */
  readonly name: string;
  /** One page of records. */
  list(options?: ListOptions<FieldName<T>> & PageOptions): Promise<ListResult<T["record"]>>;
  /** One record, or undefined when Zoho has none with that id. */
  get(id: string, options?: { fields?: readonly FieldName<T>[] }): Promise<T["record"] | undefined>;
  create(records: readonly T["create"][], options?: WriteOptions): Promise<WriteSummary<T["create"]>>;
  update(records: readonly T["update"][], options?: WriteOptions): Promise<WriteSummary<T["update"]>>;
  upsert(records: readonly T["create"][], options?: UpsertOptions<FieldName<T>>): Promise<WriteSummary<T["create"], UpsertResult>>;
  delete(ids: readonly string[], options?: DeleteOptions): Promise<WriteSummary<string>>;
  /** One page of search results (Zoho answers at most 2000 in all); an empty page when nothing matches. */
  search(query: SearchQuery, options?: SearchOptions<FieldName<T>>): Promise<ListResult<T["record"]>>;
  /** Every record, page by page (flat memory). */
  iterate(options?: IterateOptions<FieldName<T>>): AsyncIterableIterator<T["record"]>;
  /** Every page of records. */
  pages(options?: IterateOptions<FieldName<T>>): AsyncIterableIterator<RecordPage<T["record"]>>;
}

/**
 * `module(name)`: the operations of one module, typed by `ModuleTypesOf<Org, name>` — the org's
 * types, else the standard module's, else the open record; any module name is accepted.
 */
export type ModuleAccessor<Org extends { [K in keyof Org]: ModuleTypes } = NoOrgTypes> = <M extends string>(name: M) => ModuleApi<ModuleTypesOf<Org, M>>;

type LooseCall = (path: string, init: unknown) => Promise<LooseResult>;

function hasResultItems(body: unknown): boolean {
  if (!body || typeof body !== "object") return false;
  return Object.values(body as Record<string, unknown>).some(
    (v) => Array.isArray(v) && v.length > 0 && v.every((i) => i && typeof i === "object" && "status" in i && "code" in i),
  );
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function listQuery(options: ListOptions): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  if (options.fields?.length) query.fields = [...options.fields];
  if (options.ids?.length) query.ids = [...options.ids];
  if (options.sortBy) query.sort_by = options.sortBy;
  if (options.sortOrder) query.sort_order = options.sortOrder;
  if (options.cvid) query.cvid = options.cvid;
  if (options.approved) query.approved = options.approved;
  if (options.converted) query.converted = options.converted;
  return query;
}

function listHeaders(options: ListOptions): Record<string, string> | undefined {
  if (options.ifModifiedSince === undefined) return undefined;
  const value = options.ifModifiedSince instanceof Date ? options.ifModifiedSince.toISOString().replace(/\.\d{3}Z$/, "+00:00") : options.ifModifiedSince;
  return { "If-Modified-Since": value };
}

function assertModuleName(name: unknown): asserts name is string {
  if (typeof name !== "string" || name.trim() === "" || /[/?#\s]/.test(name)) {
    throw new TypeError(`module(name) needs a module API name such as "Leads" (got ${JSON.stringify(name)}).`);
  }
}

export { apiError, type LooseResult };

/**
 * Builds `module(name)` over a client: what `crm.modules<Org>()` returns. Pass the org's
 * `OrgModules` (from `zcrm gen-types`) as `Org`; without it, standard modules get their shipped types.
 */
export function createModuleApi<Org extends { [K in keyof Org]: ModuleTypes } = NoOrgTypes>(crm: ModuleApiClient): ModuleAccessor<Org> {
  const call = {
    GET: (path: string, init: unknown) => (crm.GET as unknown as LooseCall)(path, init),
    POST: (path: string, init: unknown) => (crm.POST as unknown as LooseCall)(path, init),
    PUT: (path: string, init: unknown) => (crm.PUT as unknown as LooseCall)(path, init),
    DELETE: (path: string, init: unknown) => (crm.DELETE as unknown as LooseCall)(path, init),
  };

  function moduleApi(name: string): ModuleApi<GenericModule> {
    assertModuleName(name);
    const path = { module: name };

    async function listPage(
      route: string,
      action: string,
      query: Record<string, unknown>,
      headers: Record<string, string> | undefined,
      page: PageOptions,
    ): Promise<ListResult<object>> {
      const pageNo = page.page ?? 1;
      const perPage = page.perPage ?? 200;
      const result = await call.GET(route, { params: { path, query: { ...query, page: pageNo, per_page: perPage } }, ...(headers ? { headers } : {}) });
      if (result.error !== undefined || !result.response.ok) {
        if (result.response.status === 304) return { records: [], page: pageNo, perPage, moreRecords: false, info: undefined };
        throw apiError(action, "GET", result);
      }
      const body = result.data as { data?: object[]; info?: RecordInfo } | undefined;
      const records = Array.isArray(body?.data) ? body.data : [];
      return { records, page: pageNo, perPage, moreRecords: body?.info?.more_records === true && records.length > 0, info: body?.info };
    }

    async function write<I, R extends WriteResultItem>(
      action: string,
      method: string,
      inputs: readonly I[],
      send: (batch: I[]) => Promise<LooseResult>,
    ): Promise<WriteSummary<I, R>> {
      if (!Array.isArray(inputs)) throw new TypeError(`${action} needs an array of records.`);
      const summary: WriteSummary<I, R> = { succeeded: [], failed: [] };
      let offset = 0;
      for (const batch of chunks(inputs, MAX_WRITE_BATCH)) {
        const result = await send(batch);
        const body = result.error ?? result.data;
        if ((result.error !== undefined || !result.response.ok) && !hasResultItems(result.error)) {
          const sent =
            offset > 0
              ? ` (after ${offset} of ${inputs.length} records were sent in earlier calls: ${summary.succeeded.length} succeeded, ${summary.failed.length} failed)`
              : "";
          throw apiError(action, method, result, sent);
        }
        const split = splitWriteResults<I, R>(batch, body);
        const seen = new Set<number>();
        for (const outcome of split.succeeded) {
          seen.add(outcome.index);
          summary.succeeded.push({ ...outcome, index: outcome.index + offset });
        }
        for (const outcome of split.failed) {
          seen.add(outcome.index);
          summary.failed.push({ ...outcome, index: outcome.index + offset });
        }
        batch.forEach((input, index) => {
          if (seen.has(index)) return;
          const missing = {
            code: "NO_RESULT",
            details: {},
            message: "Zoho returned no result for this record; check whether it was written before retrying.",
            status: "error",
          } as unknown as R;
          summary.failed.push({ index: index + offset, input, result: missing } as WriteOutcome<I, R>);
        });
        offset += batch.length;
      }
      summary.succeeded.sort((a, b) => a.index - b.index);
      summary.failed.sort((a, b) => a.index - b.index);
      return summary;
    }

    const writeBody = (data: unknown[], options: WriteOptions = {}) => ({
      data,
      ...(options.trigger ? { trigger: [...options.trigger] } : {}),
      ...(options.larId ? { lar_id: options.larId } : {}),
    });

    function pages(options: IterateOptions = {}): AsyncIterableIterator<RecordPage<object>> {
      const paginateOptions: PaginateOptions = {};
      if (options.maxRecords !== undefined) paginateOptions.maxRecords = options.maxRecords;
      if (options.perPage !== undefined) paginateOptions.perPage = options.perPage;
      const headers = listHeaders(options);
      const init = { params: { path, query: listQuery(options) }, ...(headers ? { headers } : {}) };
      // Created here, not on the first next(): the iterator keeps the user in scope now.
      const source = crm.paginate.pages("/crm/v2/{module}", init as never, paginateOptions);
      return (async function* () {
        for await (const page of source) yield { page: page.page, records: page.items as object[], moreRecords: page.moreRecords };
      })();
    }

    return {
      name,
      list: (options = {}) => listPage("/crm/v2/{module}", `Listing ${name}`, listQuery(options), listHeaders(options), options),
      async get(id, options = {}) {
        if (typeof id !== "string" || id.trim() === "") throw new TypeError(`get(id) needs a record id (got ${JSON.stringify(id)}).`);
        const query = options.fields?.length ? { fields: [...options.fields] } : {};
        const result = await call.GET("/crm/v2/{module}/{id}", { params: { path: { ...path, id }, query } });
        if (result.response.status === 204 || result.response.status === 404) return undefined;
        if (result.error !== undefined || !result.response.ok) throw apiError(`Getting ${name} ${id}`, "GET", result);
        const body = result.data as { data?: object[] } | undefined;
        return body?.data?.[0];
      },
      create: (records, options) =>
        write(`Creating ${name} records`, "POST", records, (batch) => call.POST("/crm/v2/{module}", { params: { path }, body: writeBody(batch, options) })),
      update: (records, options) =>
        write(`Updating ${name} records`, "PUT", records, (batch) => call.PUT("/crm/v2/{module}", { params: { path }, body: writeBody(batch, options) })),
      upsert: (records, options = {}) =>
        write(`Upserting ${name} records`, "POST", records, (batch) =>
          call.POST("/crm/v2/{module}/upsert", {
            params: { path },
            body: {
              ...writeBody(batch, options),
              ...(options.duplicateCheckFields?.length ? { duplicate_check_fields: [...options.duplicateCheckFields] } : {}),
            },
          }),
        ),
      delete: (ids, options = {}) =>
        write(`Deleting ${name} records`, "DELETE", ids, (batch) =>
          call.DELETE("/crm/v2/{module}", {
            params: { path, query: { ids: batch, ...(options.wfTrigger !== undefined ? { wf_trigger: options.wfTrigger } : {}) } },
          }),
        ),
      search(query, options = {}) {
        const params: Record<string, unknown> = {};
        const given = (["criteria", "email", "phone", "word"] as const).filter((key) => typeof query?.[key] === "string" && query[key] !== "");
        if (given.length !== 1)
          throw new TypeError(`search() needs exactly one of criteria, email, phone or word (got ${given.length === 0 ? "none" : given.join(", ")}).`);
        params[given[0]!] = query[given[0]!];
        if (options.fields?.length) params.fields = [...options.fields];
        if (options.approved) params.approved = options.approved;
        if (options.converted) params.converted = options.converted;
        return listPage("/crm/v2/{module}/search", `Searching ${name}`, params, undefined, options);
      },
      iterate(options) {
        const source = pages(options); // the user is captured now
        return (async function* () {
          for await (const page of source) yield* page.records;
        })();
      },
      pages,
    } as ModuleApi<GenericModule>;
  }

  return ((name: string) => moduleApi(name)) as ModuleAccessor<Org>;
}
