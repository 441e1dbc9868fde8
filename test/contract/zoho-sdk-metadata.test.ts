/**
 * Spec vs Zoho's model metadata (issue 13): Zoho's SDK for v2 ships, in config/json_details.json,
 * the JSON key and type of every member of every model class it reads or sends. For the structures
 * our spec describes, every key Zoho's model declares must be a property of our schema (bundled:
 * generated/crm-v2.openapi.json, $refs resolved) with a compatible JSON type, recursively — or be
 * in the small allow-list (zoho-sdk/model-contract.ts, with the pairs compared), each entry with
 * its reason. Allow-list entries must still match something, so the list cannot rot; and the last
 * tests show the comparison bites.
 */
import { describe, expect, it } from "vitest";
import { ALLOWED, describeFinding, loadModelAndSpec, PAIRS, targetSchema } from "./zoho-sdk/model-contract.js";
import { type Finding, ModelVsSpec } from "./zoho-sdk/model-vs-spec.js";

type Json = Record<string, unknown>;

const { model, spec } = loadModelAndSpec();

const checker = new ModelVsSpec(model, spec);

describe("our spec declares every key of Zoho's v2 model metadata", () => {
  const all: Finding[] = [];
  for (const [structure, target] of PAIRS) {
    it(`${structure} ⊆ ${typeof target === "string" ? target : `${target.operationId} ${target.status}`}`, () => {
      const findings = checker.compare(structure, targetSchema(checker, target));
      all.push(...findings);
      const unexplained = findings.filter((f) => !ALLOWED.some((a) => a.match.test(f.path))).map(describeFinding);
      expect(unexplained).toEqual([]);
    });
  }

  it("every allow-list entry still matches a finding (and gives its reason)", () => {
    for (const entry of ALLOWED) {
      expect(entry.reason.length, String(entry.match)).toBeGreaterThan(30);
      expect(
        all.some((f) => entry.match.test(f.path)),
        `${entry.match} matches nothing any more: drop it`,
      ).toBe(true);
    }
  });
});

describe("the comparison bites", () => {
  /** The checker over a copy of the spec, changed by `edit`. */
  const withEdit = (edit: (schemas: Record<string, Json>) => void): ModelVsSpec => {
    const copy = structuredClone(spec);
    edit((copy.components as Json).schemas as Record<string, Json>);
    return new ModelVsSpec(model, copy);
  };
  const props = (schema: Json) => schema.properties as Record<string, Json>;

  it("a property removed from a schema is reported missing", () => {
    const c = withEdit((s) => delete props(s.User!).email);
    const findings = c.compare("users/response_wrapper", targetSchema(c, { operationId: "getUsers", status: 200 }));
    expect(findings.map(describeFinding)).toEqual(["missing: users/response_wrapper.users[].email (model String)"]);
  });

  it("a property renamed deep inside a nested schema is reported at its path", () => {
    const c = withEdit((s) => {
      const criteria = props(s.CustomViewCriteria!);
      criteria.field_name = criteria.field!;
      delete criteria.field;
    });
    const findings = c.compare("territories/response_wrapper", c.schema("TerritoryList")).filter((f) => !ALLOWED.some((a) => a.match.test(f.path)));
    expect(findings.map(describeFinding)).toEqual(["missing: territories/response_wrapper.territories[].criteria.field (model String)"]);
  });

  it("an incompatible JSON type is reported (a bulk-read job's module as an object, the v7 shape)", () => {
    const c = withEdit((s) => {
      props(s.BulkReadJobQuery!).module = { type: "object", additionalProperties: true };
    });
    const findings = c.compare("bulk_read/response_wrapper", c.schema("BulkReadJobDetails")).filter((f) => !ALLOWED.some((a) => a.match.test(f.path)));
    expect(findings.map(describeFinding)).toEqual(["type: bulk_read/response_wrapper.data[].query.module (model String, spec object)"]);
  });
});
