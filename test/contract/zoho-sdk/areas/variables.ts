/**
 * Org variables and their groups through Zoho's SDK (VariableGroupsOperations,
 * VariablesOperations): groups by id and API name; variables created in a group, read by id and
 * API name, updated three ways and deleted two ways.
 */
import { expect } from "vitest";
import { detailsOf, modelOf, successes } from "../checks.js";
import { type AreaContext, big, params } from "../context.js";
import { type ZohoValue, zohoApi } from "../load.js";

const V = zohoApi("variables/variables_operations");
const { VariablesOperations } = V;
const { Variable } = zohoApi("variables/variable");
const { BodyWrapper } = zohoApi("variables/body_wrapper");
const { ResponseWrapper } = zohoApi("variables/response_wrapper");
const { ActionWrapper } = zohoApi("variables/action_wrapper");
const { SuccessResponse } = zohoApi("variables/success_response");
const { VariableGroupsOperations } = zohoApi("variable_groups/variable_groups_operations");
const { ResponseWrapper: GroupsResponseWrapper } = zohoApi("variable_groups/response_wrapper");
const { VariableGroup } = zohoApi("variable_groups/variable_group");

const AREA = "variables";

function variables(...values: Array<Record<string, unknown>>): ZohoValue {
  const body = new BodyWrapper();
  body.setVariables(
    values.map((v) => {
      const variable = new Variable();
      if (v.id) variable.setId(big(v.id));
      if (v.name) variable.setName(v.name);
      if (v.api_name) variable.setAPIName(v.api_name);
      if (v.type) variable.setType(v.type);
      if (v.value !== undefined) variable.setValue(v.value);
      if (v.group) {
        const group = new VariableGroup();
        group.setAPIName(v.group);
        variable.setVariableGroup(group);
      }
      return variable;
    }),
  );
  return body;
}

export async function variablesArea(ctx: AreaContext): Promise<void> {
  const { ledger } = ctx;
  const groupsOps = new VariableGroupsOperations();
  const ops = new VariablesOperations();

  const groups = await ledger.ok(AREA, "VariableGroupsOperations.getVariableGroups", async () => {
    const all = modelOf(await groupsOps.getVariableGroups(), GroupsResponseWrapper).getVariableGroups();
    expect(all.map((g: ZohoValue) => g.getAPIName())).toEqual(expect.arrayContaining(["General", "Integration"]));
    return all;
  });
  const general = groups.find((g: ZohoValue) => g.getAPIName() === "General");
  await ledger.ok(AREA, "VariableGroupsOperations.getVariableGroupById", async () => {
    const [one] = modelOf(await groupsOps.getVariableGroupById(general.getId()), GroupsResponseWrapper).getVariableGroups();
    expect([one.getAPIName(), one.getName()]).toEqual(["General", general.getName()]);
  });
  await ledger.ok(AREA, "VariableGroupsOperations.getVariableGroupByAPIName", async () => {
    const [one] = modelOf(await groupsOps.getVariableGroupByAPIName("Integration"), GroupsResponseWrapper).getVariableGroups();
    expect(one.getAPIName()).toBe("Integration");
  });

  const [region, limit, spare] = await ledger.ok(AREA, "VariablesOperations.createVariables", async () => {
    const body = variables(
      { name: "Sdk Region", api_name: "Sdk_Region", type: "text", value: "EMEA", group: "General" },
      { name: "Sdk Limit", api_name: "Sdk_Limit", type: "integer", value: 100, group: "General" },
      { name: "Sdk Spare", api_name: "Sdk_Spare", type: "text", value: "x", group: "General" },
    );
    return successes(modelOf(await ops.createVariables(body), ActionWrapper).getVariables(), SuccessResponse).map((i) => String(detailsOf(i).id));
  });
  const byId = async (id: string): Promise<ZohoValue> =>
    modelOf(await ops.getVariableById(big(id), await params([V.GetVariableByIDParam.GROUP, "General"])), ResponseWrapper).getVariables()[0];
  await ledger.ok(AREA, "VariablesOperations.getVariables", async () => {
    const all = modelOf(await ops.getVariables(await params([V.GetVariablesParam.GROUP, "General"])), ResponseWrapper).getVariables();
    expect(all.map((v: ZohoValue) => v.getAPIName())).toEqual(expect.arrayContaining(["Sdk_Region", "Sdk_Limit", "Sdk_Spare"]));
  });
  await ledger.ok(AREA, "VariablesOperations.getVariableById", async () => {
    const one = await byId(region!);
    expect([one.getAPIName(), one.getType(), one.getValue(), one.getVariableGroup().getAPIName()]).toEqual(["Sdk_Region", "text", "EMEA", "General"]);
  });
  await ledger.ok(AREA, "VariablesOperations.getVariableForAPIName", async () => {
    const [one] = modelOf(
      await ops.getVariableForAPIName("Sdk_Limit", await params([V.GetVariableForAPINameParam.GROUP, "General"])),
      ResponseWrapper,
    ).getVariables();
    expect([String(one.getId()), one.getValue()]).toEqual([limit, 100]);
  });
  await ledger.ok(AREA, "VariablesOperations.updateVariableById", async () => {
    successes(modelOf(await ops.updateVariableById(big(region), variables({ value: "APAC" })), ActionWrapper).getVariables(), SuccessResponse);
    expect((await byId(region!)).getValue()).toBe("APAC");
  });
  await ledger.ok(AREA, "VariablesOperations.updateVariableByAPIName", async () => {
    successes(modelOf(await ops.updateVariableByAPIName("Sdk_Limit", variables({ value: 250 })), ActionWrapper).getVariables(), SuccessResponse);
    expect((await byId(limit!)).getValue()).toBe(250);
  });
  await ledger.ok(AREA, "VariablesOperations.updateVariables", async () => {
    const body = variables({ id: region, value: "LATAM" }, { id: limit, value: 300 });
    successes(modelOf(await ops.updateVariables(body), ActionWrapper).getVariables(), SuccessResponse);
    expect([(await byId(region!)).getValue(), (await byId(limit!)).getValue()]).toEqual(["LATAM", 300]);
  });
  await ledger.ok(AREA, "VariablesOperations.deleteVariable", async () => {
    successes(modelOf(await ops.deleteVariable(big(spare)), ActionWrapper).getVariables(), SuccessResponse);
  });
  await ledger.ok(AREA, "VariablesOperations.deleteVariables", async () => {
    const ids = await params([V.DeleteVariablesParam.IDS, big(region)], [V.DeleteVariablesParam.IDS, big(limit)]);
    successes(modelOf(await ops.deleteVariables(ids), ActionWrapper).getVariables(), SuccessResponse);
    const left = modelOf(await ops.getVariables(), ResponseWrapper).getVariables();
    expect(left.some((v: ZohoValue) => String(v.getAPIName()).startsWith("Sdk_"))).toBe(false);
  });
}
