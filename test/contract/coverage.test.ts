/**
 * Spec coverage: every operation of Zoho's CRM v2 operation list (test/fixtures/zoho-v2-operations.tsv,
 * copied from /work/shared/zoho-v2-operations.tsv; described in zoho-v2-operations.md next to it)
 * must exist in the bundled spec (generated/crm-v2.openapi.json) with its method and path
 * (placeholders compared by position, not name). No allow-list: a missing row fails the test.
 */
import { describe, expect, it } from "vitest";
import { keyOf, missingOperations, normalisePath, readSpecOperations, readTsv } from "../../scripts/coverage-lib.js";

const rows = readTsv();
const ops = readSpecOperations();

describe("coverage of Zoho's CRM v2 operations by the spec", () => {
  it("reads the operation list: 135 rows, 134 distinct method + path pairs", () => {
    expect(rows).toHaveLength(135);
    expect(new Set(rows.map((r) => `${r.method} ${r.path}`)).size).toBe(134);
  });

  it("normalises placeholders by position", () => {
    expect(normalisePath("/crm/v2/{module}/{recordId}/Attachments/{id}")).toBe("/crm/v2/{}/{}/Attachments/{}");
    expect(keyOf("get", "/{downloadUrl}")).toBe("GET /{}");
  });

  it("every method + path of the list is in the bundled spec", () => {
    const missing = missingOperations(rows, ops);
    expect(missing, `missing from generated/crm-v2.openapi.json (${missing.length}):\n${missing.join("\n")}`).toEqual([]);
  });

  it("no two spec operations collide once placeholders are normalised", () => {
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const op of ops) {
      const key = keyOf(op.method, op.path);
      if (seen.has(key)) clashes.push(`${key}: ${seen.get(key)} and ${op.operationId}`);
      seen.set(key, op.operationId);
    }
    expect(clashes).toEqual([]);
  });
});
