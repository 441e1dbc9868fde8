/**
 * Every API operation Zoho's SDK has, read from its own sources: the public async methods of the
 * `*_operations.ts` classes under core/com/zoho/crm/api, as `ClassName.method`. The suite's
 * coverage is measured against this list, so a newer SDK with more operations lowers the share.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ZOHO_SDK_ROOT } from "./load.js";

export interface SdkOperation {
  /** `RecordOperations.createRecords` */
  name: string;
  /** The package, e.g. `record`. */
  area: string;
}

export function sdkOperations(): SdkOperation[] {
  const api = path.join(ZOHO_SDK_ROOT, "core", "com", "zoho", "crm", "api");
  const operations: SdkOperation[] = [];
  for (const area of readdirSync(api).sort()) {
    let files: string[];
    try {
      files = readdirSync(path.join(api, area)).filter((f) => f.endsWith("_operations.ts"));
    } catch {
      continue; // a file, not a package
    }
    for (const file of files) {
      const source = readFileSync(path.join(api, area, file), "utf8");
      const className = /^class (\w+Operations)\s*\{/m.exec(source)?.[1];
      if (!className) throw new Error(`no operations class in ${area}/${file}`);
      for (const [, method] of source.matchAll(/^\s*public async (\w+)\(/gm)) operations.push({ name: `${className}.${method}`, area });
    }
  }
  return operations;
}
