/**
 * The package entry must not load TypeORM or database drivers: only `zcrm-typed/typeorm` (or the
 * lazily created default store) may. Checked on the real import graph with esbuild's metafile,
 * following static imports only (dynamic `import()` is the lazy path).
 */
import { readFileSync } from "node:fs";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

/** Optional packages and drivers: the core import must not need any of them (`npm install --omit=optional`). */
const HEAVY = ["typeorm", "mysql2", "pg", "better-sqlite3", "ioredis", "redis-semaphore", "ajv", "ajv-formats", "commander"];

async function staticExternals(entry: string): Promise<Set<string>> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: "node",
    format: "esm",
    packages: "external",
    metafile: true,
    logLevel: "silent",
  });
  const inputs = result.metafile.inputs;
  const seen = new Set<string>();
  const externals = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imp of inputs[file]?.imports ?? []) {
      if (imp.kind !== "import-statement") continue;
      if (imp.external) externals.add(imp.path.split("/")[0]!.startsWith("@") ? imp.path.split("/").slice(0, 2).join("/") : imp.path.split("/")[0]!);
      else walk(imp.path);
    }
  };
  walk(entry);
  return externals;
}

describe("entry points", () => {
  it("zcrm-typed statically imports none of TypeORM, drivers or Redis", async () => {
    const externals = await staticExternals("src/index.ts");
    expect(externals.has("openapi-fetch")).toBe(true); // the walk does see real imports
    for (const name of HEAVY) expect(externals.has(name), name).toBe(false);
  });

  it("code generation lives on zcrm-typed/codegen, not in the core import", async () => {
    const core = await import("../../src/index.js");
    const codegen = await import("../../src/codegen/index.js");
    expect("generateOrgTypes" in core).toBe(false);
    expect(typeof codegen.generateOrgTypes).toBe("function");
    const pkg = JSON.parse(readFileSync("package.json", "utf8"));
    expect(pkg.exports["./codegen"]).toMatchObject({ types: "./dist/src/codegen/index.d.ts", import: "./dist/src/codegen/index.js" });
  });

  it("zcrm-typed/typeorm brings TypeORM", async () => {
    const externals = await staticExternals("src/typeorm.ts");
    expect(externals.has("typeorm")).toBe(true);
  });

  it("package.json exposes both entries, types and the zcrm bin", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8"));
    expect(pkg.type).toBe("module");
    expect(pkg.exports["."].types).toBe("./dist/src/index.d.ts");
    expect(pkg.exports["./typeorm"].import).toBe("./dist/src/typeorm.js");
    expect(pkg.bin.zcrm).toBe("./dist/src/cli/main.js");
    expect(pkg.engines.node).toBe("^20.19.0 || ^22.12.0 || >=24.0.0");
    // require() works for every entry (Node ≥ 20.19 loads ESM without top-level await), and the
    // optional packages stay optional.
    for (const entry of [".", "./typeorm", "./emulator", "./codegen"]) expect(pkg.exports[entry].require).toBe(pkg.exports[entry].import);
    expect(Object.keys(pkg.dependencies).sort()).toEqual(["commander", "ky", "openapi-fetch"]);
    expect(Object.keys(pkg.optionalDependencies).sort()).toEqual(["ajv", "ajv-formats", "better-sqlite3", "redis-semaphore", "typeorm"]);
  });

  it("the User-Agent version matches package.json", async () => {
    const { SDK_VERSION } = await import("../../src/version.js");
    expect(SDK_VERSION).toBe(JSON.parse(readFileSync("package.json", "utf8")).version);
  });
});
