/**
 * Optional packages left out (`--omit=optional`): the error names the command that fixes it. The
 * packed tarball's smoke test (scripts/smoke-tarball.sh) proves it end to end in a real install.
 */
import { describe, expect, it } from "vitest";
import { missingPackage, optionalPackageError } from "../../src/optional-package.js";
import { mapStoreError } from "../../src/stores/typeorm/driver-errors.js";

describe("optional packages", () => {
  it("tells a missing bare package from other load failures", () => {
    const esm = Object.assign(new Error("Cannot find package 'ajv' imported from /x/spec-validator.js"), { code: "ERR_MODULE_NOT_FOUND" });
    const cjs = Object.assign(new Error("Cannot find module 'better-sqlite3'\nRequire stack: ..."), { code: "MODULE_NOT_FOUND" });
    const scoped = Object.assign(new Error("Cannot find package '@scope/pkg' imported from /x"), { code: "ERR_MODULE_NOT_FOUND" });
    const relative = Object.assign(new Error("Cannot find module '/x/dist/src/missing.js'"), { code: "ERR_MODULE_NOT_FOUND" });
    expect([esm, cjs, scoped, relative, new Error("boom")].map(missingPackage)).toEqual(["ajv", "better-sqlite3", "@scope/pkg", undefined, undefined]);
  });

  it("the error names the feature, the install command and the way to do without", () => {
    const error = optionalPackageError({ feature: "The thing", packages: ["a", "b"], missing: "b", alternative: "pass c", keys: ["c"] });
    expect(error).toMatchObject({ name: "ZohoConfigError", code: "OPTIONAL_PACKAGE_MISSING", keys: ["c"] });
    expect(error.message).toMatch(/npm install a b.*pass c/);
  });

  it("TypeORM's missing-driver error becomes TOKEN_STORE_DRIVER_MISSING naming the npm package", () => {
    const where = { where: "mysql 127.0.0.1:3306/zohooauth", tablePath: "oauthtokens", tableKeys: ["tableName"] };
    for (const [message, pkg] of [
      ["Mysql package has not been found installed. Try to install it: npm install mysql --save", "mysql2"],
      ["Postgres package has not been found installed.", "pg"],
      ["SQLite package has not been found installed.", "better-sqlite3"],
    ] as const) {
      const error = mapStoreError(Object.assign(new Error(message), { name: "DriverPackageNotInstalledError" }), where);
      expect(error).toMatchObject({ code: "TOKEN_STORE_DRIVER_MISSING" });
      expect(error.message).toContain(`npm install ${pkg}`);
    }
  });
});
