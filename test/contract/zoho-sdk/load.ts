/**
 * Loads Zoho's official TypeScript SDK for CRM v2 (`@zohocrm/typescript-sdk-2.0`, a devDependency)
 * through Node's `require`, as its compiled CommonJS: the SDK's own dynamic `require`s (response
 * classes it picks by name) then resolve to the very classes the tests compare against.
 *
 * Its values are untyped here on purpose: the package ships `.ts` sources that do not compile under
 * this project's strict settings (tsc would check them if imported, even as types), and no `.d.ts`.
 */
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);

/** The package's root directory (its `config/json_details.json`, its sources). */
export const ZOHO_SDK_ROOT = path.dirname(require.resolve("@zohocrm/typescript-sdk-2.0/package.json"));

// biome-ignore lint/suspicious/noExplicitAny: Zoho's SDK has no types usable here (see above); every use is checked at runtime by the tests.
export type ZohoValue = any;

/** A module of the SDK by its path in the package, e.g. `routes/initializer`. */
export function zohoModule(modulePath: string): Record<string, ZohoValue> {
  return require(`@zohocrm/typescript-sdk-2.0/${modulePath}.js`) as Record<string, ZohoValue>;
}

/** A module of the SDK's API layer, e.g. `record/record_operations` (under `core/com/zoho/crm/api`). */
export function zohoApi(modulePath: string): Record<string, ZohoValue> {
  return zohoModule(`core/com/zoho/crm/api/${modulePath}`);
}
