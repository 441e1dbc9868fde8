/**
 * Lead conversion (v2 shape): creates (or reuses) the contact and account, optionally creates a
 * deal, marks the lead converted, and answers `{data: [{Contacts, Deals, Accounts}]}` with plain
 * ids. Converting twice is 400 ID_ALREADY_CONVERTED. Everything is checked before anything is saved.
 */
import { zohoDateTime } from "../clock.js";
import { comparable } from "../field-values.js";
import { isIdLike } from "../id-generator.js";
import { buildRecord } from "../record-writer.js";
import type { CrmHandler } from "../router.js";
import type { StoredRecord } from "../types.js";
import { apiError, errorItem, errors, recordErrors } from "../zoho-errors.js";

type ConvertInput = {
  overwrite?: boolean;
  Accounts?: string | { id: string };
  Contacts?: string | { id: string };
  assign_to?: string | { id: string };
  Deals?: Record<string, unknown>;
};

const idOf = (value: unknown): string | undefined =>
  typeof value === "string"
    ? value
    : value && typeof value === "object" && typeof (value as { id?: unknown }).id === "string"
      ? (value as { id: string }).id
      : undefined;

/** Lead fields copied to the contact and to the account. */
const TO_CONTACT: Record<string, string> = {
  First_Name: "First_Name",
  Last_Name: "Last_Name",
  Email: "Email",
  Phone: "Phone",
  Mobile: "Mobile",
  Lead_Source: "Lead_Source",
  Designation: "Title",
  Description: "Description",
  Email_Opt_Out: "Email_Opt_Out",
  Street: "Mailing_Street",
  City: "Mailing_City",
  State: "Mailing_State",
  Zip_Code: "Mailing_Zip",
  Country: "Mailing_Country",
};
const TO_ACCOUNT: Record<string, string> = {
  Company: "Account_Name",
  Phone: "Phone",
  Website: "Website",
  Industry: "Industry",
  Annual_Revenue: "Annual_Revenue",
  No_of_Employees: "Employees",
  Rating: "Rating",
  Street: "Billing_Street",
  City: "Billing_City",
  State: "Billing_State",
  Zip_Code: "Billing_Code",
  Country: "Billing_Country",
};

function mapped(lead: StoredRecord, mapping: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [from, to] of Object.entries(mapping)) if (lead.data[from] !== null && lead.data[from] !== undefined) out[to] = lead.data[from];
  return out;
}

export const convertLead: CrmHandler = (req, ctx) => {
  const { state } = ctx;
  const id = req.params.id ?? "";
  const lead = isIdLike(id) ? state.record("Leads", id) : undefined;
  if (!lead) return errors.invalidId(1);
  if (lead.data.$converted === true) return apiError(400, "ID_ALREADY_CONVERTED", "id already converted", { resource_path_index: 1 });
  const input = ((req.body as { data: ConvertInput[] }).data[0] ?? {}) as ConvertInput;
  const now = state.clock.now();

  let owner = req.user;
  if (input.assign_to !== undefined) {
    const user = state.user(idOf(input.assign_to) ?? "");
    if (user?.status !== "active") return recordErrors(400, [errorItem("INVALID_DATA", "invalid data", { api_name: "assign_to" })]);
    owner = user;
  }
  const ownerLookup = { id: owner.id };
  const fail = (apiName: string, detail: Record<string, unknown> = {}) =>
    recordErrors(400, [errorItem("INVALID_DATA", "invalid data", { api_name: apiName, ...detail })]);

  // Account: the one given, else the one named like the lead's company, else a new one.
  let account: StoredRecord | undefined;
  let newAccount: StoredRecord | undefined;
  if (input.Accounts !== undefined) {
    account = state.record("Accounts", idOf(input.Accounts) ?? "");
    if (!account) return fail("Accounts");
  } else if (typeof lead.data.Company === "string" && lead.data.Company !== "") {
    const key = comparable(lead.data.Company);
    account = state.records("Accounts").find((a) => comparable(a.data.Account_Name) === key);
    if (!account) {
      const outcome = buildRecord(state, state.module("Accounts")!, { ...mapped(lead, TO_ACCOUNT), Owner: ownerLookup }, { user: req.user, now });
      if (!outcome.ok) return recordErrors(400, [errorItem(outcome.error.code, outcome.error.message, outcome.error.details)]);
      account = newAccount = outcome.record;
    }
  }

  // Contact: the one given, else one with the lead's email, else a new one.
  let contact: StoredRecord | undefined;
  let newContact: StoredRecord | undefined;
  if (input.Contacts !== undefined) {
    contact = state.record("Contacts", idOf(input.Contacts) ?? "");
    if (!contact) return fail("Contacts");
  } else {
    const email = comparable(lead.data.Email);
    contact = email === undefined ? undefined : state.records("Contacts").find((c) => comparable(c.data.Email) === email);
  }
  if (!contact || input.overwrite) {
    // A new contact links to the account; it is saved after the account, so link by id afterwards.
    const values = { ...mapped(lead, TO_CONTACT), Owner: ownerLookup };
    const outcome = buildRecord(state, state.module("Contacts")!, values, { user: req.user, existing: contact, now });
    if (!outcome.ok) return recordErrors(400, [errorItem(outcome.error.code, outcome.error.message, outcome.error.details)]);
    contact = newContact = outcome.record;
  }

  let deal: StoredRecord | undefined;
  if (input.Deals !== undefined) {
    const outcome = buildRecord(
      state,
      state.module("Deals")!,
      { Lead_Source: lead.data.Lead_Source ?? undefined, ...input.Deals, Owner: ownerLookup },
      { user: req.user, now },
    );
    if (!outcome.ok) return recordErrors(400, [errorItem(outcome.error.code, outcome.error.message, outcome.error.details)]);
    deal = outcome.record;
  }

  // All checks passed: save, then link the new records to each other.
  if (newAccount) state.saveRecord(newAccount);
  if (newContact) {
    if (account) newContact.data.Account_Name = { name: state.displayName(state.module("Accounts")!, account), id: account.id };
    state.saveRecord(newContact);
  }
  if (deal) {
    if (account) deal.data.Account_Name = { name: state.displayName(state.module("Accounts")!, account), id: account.id };
    deal.data.Contact_Name = { name: state.displayName(state.module("Contacts")!, contact), id: contact.id };
    state.saveRecord(deal);
  }
  const converted: StoredRecord = {
    ...lead,
    data: {
      ...lead.data,
      $converted: true,
      $converted_detail: {
        convert_date: zohoDateTime(now),
        contact: contact.id,
        account: account?.id ?? null,
        deal: deal?.id ?? null,
        converted_by: req.user.id,
      },
      Modified_Time: zohoDateTime(now),
      Modified_By: state.userLookup(req.user),
    },
    modifiedMs: now,
  };
  state.saveRecord(converted);
  return { status: 200, body: { data: [{ Contacts: contact.id, Deals: deal?.id ?? null, Accounts: account?.id ?? null }] } };
};
