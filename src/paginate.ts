/**
 * Auto-pagination for Zoho's list operations: `page`/`per_page` with `info.more_records`, where an
 * empty page may come back as 204 with no body. Streams one page at a time, so memory stays flat
 * however many records pass through. Works for every GET whose query has `page` and whose body
 * holds an array (`data`, `users`, `custom_views`, ...). An iterator keeps the user it was created
 * under (`withUser`, `forUser`), however much later and wherever it is iterated.
 */
import type { Client, FetchOptions } from "openapi-fetch";
import type { paths } from "../generated/crm-v2.js";
import { apiError } from "./api-error.js";
import type { UserContext } from "./auth/user-context.js";
import { ZohoApiError } from "./errors.js";

type GetOperation<P extends keyof paths> = paths[P] extends { get: infer O } ? O : never;

/** GET paths with a `page` query parameter. */
export type PaginatedPath = {
  [P in keyof paths]: GetOperation<P> extends { parameters: { query?: infer Q } } ? (NonNullable<Q> extends { page?: unknown } ? P : never) : never;
}[keyof paths];

type SuccessBody<P extends keyof paths> = GetOperation<P> extends { responses: { 200: { content: { "application/json": infer B } } } } ? B : never;

/** The element type of the arrays in a page body (`data[]` for records, `users[]` for users...). */
export type PageItem<P extends keyof paths> = {
  [K in keyof SuccessBody<P>]-?: NonNullable<SuccessBody<P>[K]> extends ReadonlyArray<infer I> ? I : never;
}[keyof SuccessBody<P>];

export type PaginateInit<P extends PaginatedPath> = FetchOptions<GetOperation<P>>;

export interface PaginateOptions {
  /** Stop after this many records. */
  maxRecords?: number;
  /** Records per page (Zoho's maximum, 200, by default). */
  perPage?: number;
}

export interface Page<P extends PaginatedPath> {
  page: number;
  items: PageItem<P>[];
  body: SuccessBody<P>;
  moreRecords: boolean;
}

export interface Paginate {
  <P extends PaginatedPath>(path: P, init: PaginateInit<P>, options?: PaginateOptions): AsyncIterableIterator<PageItem<P>>;
  pages<P extends PaginatedPath>(path: P, init: PaginateInit<P>, options?: PaginateOptions): AsyncIterableIterator<Page<P>>;
}

/** The page's records (`data`, or the resource-named array), or undefined when the body has none. */
function itemsOf(body: unknown): unknown[] | undefined {
  if (!body || typeof body !== "object" || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  if ("data" in record) return Array.isArray(record.data) ? record.data : undefined;
  for (const [key, value] of Object.entries(record)) {
    if (key !== "info" && Array.isArray(value)) return value;
  }
  return undefined;
}

/** Runs every step of `iterator` as `user` (when one was in scope at creation). */
function bindToUser<T>(iterator: AsyncIterableIterator<T>, users: UserContext, user: string | undefined): AsyncIterableIterator<T> {
  if (user === undefined) return iterator;
  const bound: AsyncIterableIterator<T> = {
    next: (...args) => users.run(user, () => iterator.next(...args)),
    return: (value) => users.run(user, () => iterator.return?.(value) ?? Promise.resolve({ done: true, value })),
    throw: (error) => users.run(user, () => iterator.throw?.(error) ?? Promise.reject(error)),
    [Symbol.asyncIterator]: () => bound,
  };
  return bound;
}

export function createPaginate(client: Client<paths>, options: { users: UserContext }): Paginate {
  const { users } = options;

  function pages<P extends PaginatedPath>(path: P, init: PaginateInit<P>, paginateOptions: PaginateOptions = {}): AsyncIterableIterator<Page<P>> {
    return bindToUser(pageGenerator(path, init, paginateOptions), users, users.current());
  }

  async function* pageGenerator<P extends PaginatedPath>(path: P, init: PaginateInit<P>, options: PaginateOptions): AsyncIterableIterator<Page<P>> {
    const base = (init ?? {}) as { params?: { query?: Record<string, unknown> } & Record<string, unknown> } & Record<string, unknown>;
    const query = base.params?.query ?? {};
    let page = typeof query.page === "number" ? query.page : 1;
    // Messages name what was listed (`/crm/v2/Leads`), not the path template (`/crm/v2/{module}`).
    const pathParams = (base.params?.path ?? {}) as Record<string, unknown>;
    const label = String(path).replace(/\{(\w+)\}/g, (whole, name: string) => (pathParams[name] === undefined ? whole : String(pathParams[name])));
    const perPage = options.perPage ?? (typeof query.per_page === "number" ? query.per_page : 200);
    let remaining = options.maxRecords ?? Number.POSITIVE_INFINITY;
    while (remaining > 0) {
      const request = { ...base, params: { ...base.params, query: { ...query, page, per_page: perPage } } };
      const get = client.GET as unknown as (p: string, i: unknown) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
      const { data, error, response } = await get(path, request);
      // 204 (no more records) and 304 (nothing changed since If-Modified-Since) both end the listing.
      if (response.status === 204 || response.status === 304) return;
      if (error !== undefined || !response.ok) throw apiError(`Listing ${label} (page ${page})`, "GET", { error, response });
      if (data === undefined) return;
      const found = itemsOf(data);
      if (found === undefined) {
        // Ending quietly here would look like "no more records" and lose the rest of the scan.
        throw new ZohoApiError(
          `Listing ${label} (page ${page}): HTTP ${response.status} with a body that holds no records array; stopping rather than skipping records.`,
          {
            code: "INVALID_RESPONSE",
            status: response.status,
            method: "GET",
            url: response.url.replace(/\?.*$/, ""),
          },
        );
      }
      let items = found as PageItem<P>[];
      if (items.length > remaining) items = items.slice(0, remaining);
      remaining -= items.length;
      const info = (data as { info?: { more_records?: unknown } }).info;
      const moreRecords = info?.more_records === true && items.length > 0;
      yield { page, items, body: data as SuccessBody<P>, moreRecords };
      if (!moreRecords) return;
      page += 1;
    }
  }

  function records<P extends PaginatedPath>(path: P, init: PaginateInit<P>, options?: PaginateOptions): AsyncIterableIterator<PageItem<P>> {
    const source = pages(path, init, options); // created now: the user is captured now
    return (async function* () {
      for await (const page of source) yield* page.items;
    })();
  }

  return Object.assign(records, { pages }) as Paginate;
}
