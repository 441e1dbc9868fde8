/**
 * The org and its people through Zoho's SDK: OrgOperations (details, photo), RolesOperations,
 * ProfilesOperations, TerritoriesOperations (criteria in the custom-view shape, deviation 3) and
 * UsersOperations (a user added with a role and a profile read through the SDK, then updated and
 * deleted).
 */
import { expect } from "vitest";
import { DEFAULT_USER_EMAIL } from "../../../../src/emulator/index.js";
import { detailsOf, modelOf, successes, choiceValue } from "../checks.js";
import { type AreaContext, big, params, uploadFile } from "../context.js";
import { type ZohoValue, zohoApi } from "../load.js";

const U = zohoApi("users/users_operations");
const { UsersOperations } = U;
const { User } = zohoApi("users/user");
const { RequestWrapper: UsersRequestWrapper } = zohoApi("users/request_wrapper");
const { BodyWrapper: UsersBodyWrapper } = zohoApi("users/body_wrapper");
const { ResponseWrapper: UsersResponseWrapper } = zohoApi("users/response_wrapper");
const { ActionWrapper: UsersActionWrapper } = zohoApi("users/action_wrapper");
const { SuccessResponse: UsersSuccess } = zohoApi("users/success_response");
const { OrgOperations } = zohoApi("org/org_operations");
const { ResponseWrapper: OrgResponseWrapper } = zohoApi("org/response_wrapper");
const { FileBodyWrapper: OrgFileBodyWrapper } = zohoApi("org/file_body_wrapper");
const { SuccessResponse: OrgSuccess } = zohoApi("org/success_response");
const { RolesOperations } = zohoApi("roles/roles_operations");
const { ResponseWrapper: RolesResponseWrapper } = zohoApi("roles/response_wrapper");
const { Role } = zohoApi("roles/role");
const { ProfilesOperations } = zohoApi("profiles/profiles_operations");
const { ResponseWrapper: ProfilesResponseWrapper } = zohoApi("profiles/response_wrapper");
const { Profile } = zohoApi("profiles/profile");
const { TerritoriesOperations } = zohoApi("territories/territories_operations");
const { ResponseWrapper: TerritoriesResponseWrapper } = zohoApi("territories/response_wrapper");
const { Criteria: CustomViewCriteria } = zohoApi("custom_views/criteria");

const AREA = "org and users";
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==", "base64");

export async function orgUsersArea(ctx: AreaContext): Promise<void> {
  const { ledger, session } = ctx;
  const org = session.emulator.state.crm.org;

  await ledger.ok(AREA, "OrgOperations.getOrganization", async () => {
    const [one] = modelOf(await new OrgOperations().getOrganization(), OrgResponseWrapper).getOrg();
    expect([one.getCompanyName(), one.getZgid(), String(one.getId())]).toEqual([org.company_name, String(org.zgid), String(org.id)]);
  });
  await ledger.ok(AREA, "OrgOperations.uploadOrganizationPhoto", async () => {
    const photo = new OrgFileBodyWrapper();
    photo.setFile(await uploadFile(ctx, "org.png", PNG));
    expect(choiceValue(modelOf(await new OrgOperations().uploadOrganizationPhoto(photo), OrgSuccess).getStatus())).toBe("success");
  });

  const roles = await ledger.ok(AREA, "RolesOperations.getRoles", async () => {
    const all = modelOf(await new RolesOperations().getRoles(), RolesResponseWrapper).getRoles();
    expect(all.length).toBeGreaterThan(1);
    return all;
  });
  const role = roles.find((r: ZohoValue) => !r.getAdminUser()) ?? roles[0];
  await ledger.ok(AREA, "RolesOperations.getRole", async () => {
    const [one] = modelOf(await new RolesOperations().getRole(role.getId()), RolesResponseWrapper).getRoles();
    expect([one.getName(), String(one.getId())]).toEqual([role.getName(), String(role.getId())]);
  });
  const profiles = await ledger.ok(AREA, "ProfilesOperations.getProfiles", async () =>
    modelOf(await new ProfilesOperations().getProfiles(), ProfilesResponseWrapper).getProfiles(),
  );
  const profile = profiles.find((p: ZohoValue) => p.getName() === "Standard") ?? profiles[0];
  await ledger.ok(AREA, "ProfilesOperations.getProfile", async () => {
    const [one] = modelOf(await new ProfilesOperations().getProfile(profile.getId()), ProfilesResponseWrapper).getProfiles();
    expect([one.getName(), String(one.getId())]).toEqual([profile.getName(), String(profile.getId())]);
  });

  const territories = await ledger.ok(AREA, "TerritoriesOperations.getTerritories", async () => {
    const all = modelOf(await new TerritoriesOperations().getTerritories(), TerritoriesResponseWrapper).getTerritories();
    const europe = all.find((t: ZohoValue) => t.getName() === "Europe");
    // The custom-view criteria model: a field name (a string), a comparator, a value.
    const criteria = europe.getCriteria();
    expect(criteria).toBeInstanceOf(CustomViewCriteria);
    expect([criteria.getField(), choiceValue(criteria.getComparator())]).toEqual(["Country", "in"]);
    return all;
  });
  await ledger.ok(AREA, "TerritoriesOperations.getTerritory", async () => {
    const root = territories.find((t: ZohoValue) => t.getParentId() === null || t.getParentId() === undefined);
    const [one] = modelOf(await new TerritoriesOperations().getTerritory(root.getId()), TerritoriesResponseWrapper).getTerritories();
    expect(one.getName()).toBe(root.getName());
  });

  const users = new UsersOperations();
  await ledger.ok(AREA, "UsersOperations.getUsers", async () => {
    const [me] = modelOf(await users.getUsers(await params([U.GetUsersParam.TYPE, "CurrentUser"])), UsersResponseWrapper).getUsers();
    expect(me.getEmail()).toBe(DEFAULT_USER_EMAIL);
  });
  const newUser = await ledger.ok(AREA, "UsersOperations.createUser", async () => {
    const user = new User();
    user.setFirstName("Sdk");
    user.setLastName("Newcomer");
    user.setEmail("sdk.newcomer@zylker.example");
    const r = new Role();
    r.setId(role.getId());
    user.setRole(r);
    const p = new Profile();
    p.setId(profile.getId());
    user.setProfile(p);
    const request = new UsersRequestWrapper();
    request.setUsers([user]);
    const [item] = successes(modelOf(await users.createUser(request), UsersActionWrapper).getUsers(), UsersSuccess);
    return String(detailsOf(item).id);
  });
  const read = async (): Promise<ZohoValue> => modelOf(await users.getUser(big(newUser)), UsersResponseWrapper).getUsers()[0];
  await ledger.ok(AREA, "UsersOperations.getUser", async () => {
    const user = await read();
    expect([user.getEmail(), user.getLastName(), String(user.getRole().getId()), String(user.getProfile().getId())]).toEqual([
      "sdk.newcomer@zylker.example",
      "Newcomer",
      String(role.getId()),
      String(profile.getId()),
    ]);
  });
  await ledger.ok(AREA, "UsersOperations.updateUser", async () => {
    const change = new User();
    change.setPhone("+351 21 000 0000");
    const body = new UsersBodyWrapper();
    body.setUsers([change]);
    successes(modelOf(await users.updateUser(big(newUser), body), UsersActionWrapper).getUsers(), UsersSuccess);
    expect((await read()).getPhone()).toBe("+351 21 000 0000");
  });
  await ledger.ok(AREA, "UsersOperations.updateUsers", async () => {
    const change = new User();
    change.setId(big(newUser));
    change.setCity("Porto");
    const body = new UsersBodyWrapper();
    body.setUsers([change]);
    successes(modelOf(await users.updateUsers(body), UsersActionWrapper).getUsers(), UsersSuccess);
    expect((await read()).getCity()).toBe("Porto");
  });
  await ledger.ok(AREA, "UsersOperations.deleteUser", async () => {
    successes(modelOf(await users.deleteUser(big(newUser)), UsersActionWrapper).getUsers(), UsersSuccess);
    expect(session.emulator.state.users().find((u) => u.id === newUser)?.status ?? "deleted").toBe("deleted");
  });
}
