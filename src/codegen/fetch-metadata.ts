/**
 * Reads what `generateOrgTypes()` needs from an org: `settings/modules`, then each module's
 * `settings/fields` and `settings/layouts` (layouts are optional: a module without them, or
 * without permission to read them, just has no layout-mandatory fields), and the fields of the
 * subform modules those fields point to.
 */
import type { ZohoCRMClient } from "../client.js";
import { apiError } from "../module-api.js";
import { subformSource, type Field, type LayoutMeta, type ModuleMeta } from "./field-types.js";

export interface OrgMetadata {
  modules: ModuleMeta[];
  fieldsByModule: Record<string, Field[]>;
  layoutsByModule: Record<string, LayoutMeta[]>;
}

export class UnknownModuleError extends Error {
  readonly code = "UNKNOWN_MODULE";
  readonly modules: readonly string[];
  constructor(modules: string[], available: string[]) {
    super(`Unknown or API-unsupported module(s): ${modules.join(", ")}. The org's modules: ${available.join(", ")}.`);
    this.modules = modules;
  }
  override get name(): string {
    return "UnknownModuleError";
  }
}

type MetadataClient = Pick<ZohoCRMClient, "GET">;

/** A module's field metadata; `hint` is added to the error's message (what to check). */
export async function fieldsOf(crm: MetadataClient, module: string, hint = ""): Promise<Field[]> {
  const { data, error, response } = await crm.GET("/crm/v2/settings/fields", { params: { query: { module } } });
  if (error !== undefined || !response.ok) throw apiError(`Reading the fields of ${module}`, "GET", { error, response }, hint);
  return data?.fields ?? [];
}

async function layoutsOf(crm: MetadataClient, module: string): Promise<LayoutMeta[]> {
  const { data, error, response } = await crm.GET("/crm/v2/settings/layouts", { params: { query: { module } } });
  if (error !== undefined || !response.ok) {
    // Layouts only refine which fields are mandatory; modules without them (or without access) are fine.
    if (response.status >= 400 && response.status < 500 && response.status !== 401) return [];
    throw apiError(`Reading the layouts of ${module}`, "GET", { error, response });
  }
  return data?.layouts ?? [];
}

/** Runs `fn` over `items` with at most `limit` at a time, keeping the input order in the result. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export async function fetchOrgMetadata(crm: MetadataClient, options: { modules?: readonly string[]; concurrency?: number } = {}): Promise<OrgMetadata> {
  const { data, error, response } = await crm.GET("/crm/v2/settings/modules", {});
  if (error !== undefined || !response.ok) throw apiError("Reading the org's modules", "GET", { error, response });
  const supported = (data?.modules ?? []).filter((m) => typeof m.api_name === "string" && m.api_supported !== false);
  let selected = supported;
  if (options.modules && options.modules.length > 0) {
    const byLower = new Map(supported.map((m) => [m.api_name.toLowerCase(), m]));
    const unknown = options.modules.filter((name) => !byLower.has(name.toLowerCase()));
    if (unknown.length > 0) throw new UnknownModuleError(unknown, supported.map((m) => m.api_name).sort());
    selected = [...new Set(options.modules.map((name) => byLower.get(name.toLowerCase())!))];
  }
  const concurrency = options.concurrency ?? 4;
  const fieldsByModule: Record<string, Field[]> = {};
  const layoutsByModule: Record<string, LayoutMeta[]> = {};
  await mapLimited(selected, concurrency, async (module) => {
    const [fields, layouts] = await Promise.all([fieldsOf(crm, module.api_name), layoutsOf(crm, module.api_name)]);
    fieldsByModule[module.api_name] = fields;
    layoutsByModule[module.api_name] = layouts;
  });
  const subformModules = new Set<string>();
  for (const fields of Object.values(fieldsByModule)) {
    for (const field of fields) {
      if (field.data_type !== "subform") continue;
      const source = subformSource(field);
      if (source.module && !fieldsByModule[source.module]) subformModules.add(source.module);
    }
  }
  await mapLimited([...subformModules].sort(), concurrency, async (module) => {
    fieldsByModule[module] = await fieldsOf(crm, module);
  });
  const modules = [...selected].sort((a, b) => (a.api_name < b.api_name ? -1 : a.api_name > b.api_name ? 1 : 0));
  return { modules, fieldsByModule, layoutsByModule };
}
