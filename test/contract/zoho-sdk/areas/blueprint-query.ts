/**
 * A deal's blueprint (BluePrintOperations: read the transitions, make one with its field) and
 * COQL (QueryOperations.getRecords) through Zoho's SDK.
 */
import { expect } from "vitest";
import { modelOf, choiceValue } from "../checks.js";
import { type AreaContext, big, choice } from "../context.js";
import { type ZohoValue, zohoApi } from "../load.js";
import { createRecords } from "./records.js";

const { BluePrintOperations } = zohoApi("blue_print/blue_print_operations");
const { BluePrint } = zohoApi("blue_print/blue_print");
const { BodyWrapper: BlueprintBody } = zohoApi("blue_print/body_wrapper");
const { ResponseWrapper: BlueprintResponse } = zohoApi("blue_print/response_wrapper");
const { SuccessResponse: BlueprintSuccess } = zohoApi("blue_print/success_response");
const { QueryOperations } = zohoApi("query/query_operations");
const { BodyWrapper: QueryBody } = zohoApi("query/body_wrapper");
const { ResponseWrapper: QueryResponse } = zohoApi("query/response_wrapper");
const { Record: ZohoRecord } = zohoApi("record/record");

export async function blueprintQueryArea(ctx: AreaContext): Promise<void> {
  const { ledger } = ctx;
  const [deal] = await createRecords(ctx, "Deals", [
    { Deal_Name: "Sdk Deal", Stage: choice("Qualification"), Closing_Date: new Date(Date.UTC(2030, 0, 15)), Amount: 1200 },
  ]);
  const ops = new BluePrintOperations(big(deal), "Deals");

  const transition = await ledger.ok("blueprint", "BluePrintOperations.getBlueprint", async () => {
    const blueprint = modelOf(await ops.getBlueprint(), BlueprintResponse).getBlueprint();
    expect([blueprint.getProcessInfo().getFieldValue(), blueprint.getProcessInfo().getAPIName()]).toEqual(["Qualification", "Stage"]);
    const next = blueprint.getTransitions().find((t: ZohoValue) => t.getNextFieldValue() === "Needs Analysis");
    expect(next.getFields().map((f: ZohoValue) => f.getAPIName())).toEqual(["Next_Step"]);
    return next;
  });
  await ledger.ok("blueprint", "BluePrintOperations.updateBlueprint", async () => {
    const move = new BluePrint();
    move.setTransitionId(transition.getId());
    const data = new ZohoRecord();
    data.addKeyValue("Next_Step", "Discovery call");
    move.setData(data);
    const body = new BlueprintBody();
    body.setBlueprint([move]);
    expect(choiceValue(modelOf(await ops.updateBlueprint(body), BlueprintSuccess).getStatus())).toBe("success");
    const after = modelOf(await ops.getBlueprint(), BlueprintResponse).getBlueprint();
    expect(after.getProcessInfo().getFieldValue()).toBe("Needs Analysis");
  });

  await ledger.ok("COQL", "QueryOperations.getRecords", async () => {
    const query = new QueryBody();
    query.setSelectQuery("select Deal_Name, Stage, Next_Step, Amount from Deals where Deal_Name = 'Sdk Deal' limit 10");
    const rows = modelOf(await new QueryOperations().getRecords(query), QueryResponse).getData();
    expect(rows).toHaveLength(1);
    expect([String(rows[0].getId()), rows[0].getKeyValue("Deal_Name"), rows[0].getKeyValue("Next_Step")]).toEqual([deal, "Sdk Deal", "Discovery call"]);
    expect(choiceValue(rows[0].getKeyValue("Stage"))).toBe("Needs Analysis");
  });
}
