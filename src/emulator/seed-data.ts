/**
 * Deterministic sample data: the org, four users (an active admin, an active standard user, an
 * unconfirmed one and a deactivated one) and records in every module, all derived from the seed.
 */
import { zohoDate, zohoDateTime } from "./clock.js";
import { DEFAULT_USER_EMAIL } from "./constants.js";
import type { CrmState } from "./crm-state.js";
import type { IdGenerator } from "./id-generator.js";
import type { SeededRandom } from "./random.js";
import { buildRecord } from "./record-writer.js";
import type { EmulatorUser, Lookup } from "./types.js";
import { FIRST_NAMES, LAST_NAMES } from "./sample-words.js";

/** 2024-01-01T09:00:00Z: seed data and metadata are "created" around this time. */
export const SEED_EPOCH_MS = Date.UTC(2024, 0, 1, 9, 0, 0);

// The seed's names are the first 16 of the generator's lists (same order: seeded data stays the same).
const FIRST = FIRST_NAMES.slice(0, 16);
const LAST = LAST_NAMES.slice(0, 16);
const COMPANIES = [
  "Zylker Corp",
  "Acme Inc",
  "Globex",
  "Initech",
  "Umbrella Ltd",
  "Stark Industries",
  "Wayne Enterprises",
  "Hooli",
  "Vandelay Imports",
  "Soylent Co",
];
const CITIES = ["Austin", "Chennai", "Berlin", "Toronto", "Sydney", "Tokyo", "Nairobi", "Lisbon"];

export interface Roles {
  ceo: Lookup;
  manager: Lookup;
  administrator: Lookup;
  standard: Lookup;
}

export function buildRoles(ids: IdGenerator): Roles {
  return {
    ceo: { name: "CEO", id: ids.next() },
    manager: { name: "Manager", id: ids.next() },
    administrator: { name: "Administrator", id: ids.next() },
    standard: { name: "Standard", id: ids.next() },
  };
}

export function buildOrg(ids: IdGenerator, random: SeededRandom, admin: { email: string; zuid: string }): Record<string, unknown> {
  const zgid = String(random.int(10_000_000, 99_999_999));
  return {
    id: ids.next(),
    company_name: "Zylker Emulated Inc.",
    alias: "zylker",
    primary_email: admin.email,
    primary_zuid: admin.zuid,
    domain_name: `org${zgid}`,
    zgid,
    time_zone: "Etc/UTC",
    currency: "US Dollar - USD",
    currency_symbol: "$",
    currency_locale: "en_US",
    iso_code: "USD",
    mc_status: false,
    gapps_enabled: false,
    translation_enabled: false,
    privacy_settings: false,
    phone: "+1 555 0100",
    mobile: null,
    fax: null,
    website: "www.zylker.example",
    employee_count: "50",
    description: "Local Zoho CRM emulator organization",
    street: "1 Emulator Way",
    city: "Austin",
    state: "TX",
    zip: "78701",
    country: "United States",
    country_code: "US",
    photo_id: null,
    zia_portal_id: null,
    type: "production",
    max_per_page: 200,
    license_details: {
      paid: true,
      paid_type: "enterprise",
      paid_expiry: null,
      trial_type: null,
      trial_expiry: null,
      users_license_purchased: 10,
      portal_users_license_purchased: 0,
      trial_action: null,
    },
  };
}

export function newUser(options: {
  id: string;
  zuid: string;
  email: string;
  first: string | null;
  last: string;
  role: Lookup;
  profile: Lookup;
  status: EmulatorUser["status"];
  confirm: boolean;
  createdBy: Lookup | undefined;
  timeMs: number;
}): EmulatorUser {
  const fullName = [options.first, options.last].filter(Boolean).join(" ");
  const self = { name: fullName, id: options.id };
  const stamp = zohoDateTime(options.timeMs);
  return {
    id: options.id,
    zuid: options.zuid,
    email: options.email,
    first_name: options.first,
    last_name: options.last,
    full_name: fullName,
    alias: null,
    role: options.role,
    profile: options.profile,
    status: options.status,
    confirm: options.confirm,
    phone: null,
    mobile: null,
    locale: "en_US",
    language: "en_US",
    country_locale: "en_US",
    time_zone: "Etc/UTC",
    date_format: "MM/dd/yyyy",
    time_format: "hh:mm a",
    decimal_separator: "Period",
    Reporting_To: null,
    created_by: options.createdBy ?? self,
    created_time: stamp,
    Modified_By: options.createdBy ?? self,
    Modified_Time: stamp,
  };
}

export function seedUsers(state: CrmState, roles: Roles, random: SeededRandom, adminZuid: string): void {
  const zuid = () => String(random.int(10_000_000, 99_999_999));
  const time = state.epochMs;
  const admin = newUser({
    id: state.ids.next(),
    zuid: adminZuid,
    email: DEFAULT_USER_EMAIL,
    first: "Patricia",
    last: "Boyle",
    role: roles.ceo,
    profile: roles.administrator,
    status: "active",
    confirm: true,
    createdBy: undefined,
    timeMs: time,
  });
  const by = { name: admin.full_name, id: admin.id };
  const others = [
    newUser({
      id: state.ids.next(),
      zuid: zuid(),
      email: "paul.daly@zylker.example",
      first: "Paul",
      last: "Daly",
      role: roles.manager,
      profile: roles.standard,
      status: "active",
      confirm: true,
      createdBy: by,
      timeMs: time,
    }),
    newUser({
      id: state.ids.next(),
      zuid: zuid(),
      email: "sofia.marsh@zylker.example",
      first: "Sofia",
      last: "Marsh",
      role: roles.manager,
      profile: roles.standard,
      status: "active",
      confirm: false,
      createdBy: by,
      timeMs: time,
    }),
    newUser({
      id: state.ids.next(),
      zuid: zuid(),
      email: "ken.oduya@zylker.example",
      first: "Ken",
      last: "Oduya",
      role: roles.manager,
      profile: roles.standard,
      status: "disabled",
      confirm: true,
      createdBy: by,
      timeMs: time,
    }),
  ];
  for (const user of [admin, ...others]) state.saveUser(user, { touch: false });
}

/** Seeds every module with a few records; throws if a seed record breaks the module's rules. */
export function seedRecords(state: CrmState, random: SeededRandom): void {
  const admin = state.users()[0]!;
  let tick = 0;
  const add = (module: string, input: Record<string, unknown>): string => {
    const def = state.module(module)!;
    const outcome = buildRecord(state, def, input, { user: admin, now: state.epochMs + ++tick * 3_600_000 });
    if (!outcome.ok) throw new Error(`emulator seed data for ${module} is invalid: ${JSON.stringify(outcome.error)}`);
    state.saveRecord(outcome.record);
    return outcome.record.id;
  };
  const person = (i: number) => {
    const first = random.pick(FIRST);
    const last = random.pick(LAST);
    return { first, last, email: `${first}.${last}.${i}@example.com`.toLowerCase(), phone: `+1 555 ${String(random.int(1000000, 9999999))}` };
  };

  const accounts = COMPANIES.slice(0, 5).map((company) =>
    add("Accounts", {
      Account_Name: company,
      Phone: `+1 555 ${random.int(1000000, 9999999)}`,
      Industry: "Technology",
      Employees: random.int(10, 5000),
      Annual_Revenue: random.int(1, 500) * 10000,
      Billing_City: random.pick(CITIES),
      Account_Type: "Customer",
    }),
  );
  const contacts = Array.from({ length: 6 }, (_, i) => {
    const p = person(i);
    return add("Contacts", {
      First_Name: p.first,
      Last_Name: p.last,
      Email: p.email,
      Phone: p.phone,
      Account_Name: { id: accounts[i % accounts.length]! },
      Mailing_City: random.pick(CITIES),
      Lead_Source: "Web Research",
    });
  });
  for (let i = 0; i < 4; i++) {
    add("Deals", {
      Deal_Name: `${COMPANIES[i]} renewal`,
      Account_Name: { id: accounts[i]! },
      Contact_Name: { id: contacts[i]! },
      Amount: random.int(5, 200) * 1000,
      Stage: random.pick(["Qualification", "Needs Analysis", "Proposal/Price Quote", "Negotiation/Review"]),
      Closing_Date: zohoDate(state.epochMs + random.int(30, 180) * 86_400_000),
      Probability: random.int(10, 90),
    });
  }
  for (let i = 0; i < 12; i++) {
    const p = person(100 + i);
    add("Leads", {
      First_Name: p.first,
      Last_Name: p.last,
      Company: random.pick(COMPANIES),
      Email: p.email,
      Phone: p.phone,
      Lead_Source: random.pick(["Web Download", "Cold Call", "Trade Show", "Partner"]),
      Lead_Status: random.pick(["Not Contacted", "Contacted", "Pre-Qualified"]),
      Industry: "Technology",
      Annual_Revenue: random.int(1, 100) * 10000,
      No_of_Employees: random.int(5, 1000),
      City: random.pick(CITIES),
    });
  }
  for (let i = 0; i < 3; i++) {
    add("Tasks", {
      Subject: `Follow up call ${i + 1}`,
      Due_Date: zohoDate(state.epochMs + (i + 3) * 86_400_000),
      Status: "Not Started",
      Priority: "Normal",
      Who_Id: { id: contacts[i]! },
    });
    add("Notes", {
      Note_Title: `Call notes ${i + 1}`,
      Note_Content: "Discussed pricing and next steps.",
      $se_module: "Accounts",
      Parent_Id: { id: accounts[i]! },
    });
  }
  for (let i = 0; i < 5; i++) {
    add("Products", {
      Product_Name: `Widget ${String.fromCharCode(65 + i)}`,
      Product_Code: `WDG-${100 + i}`,
      Product_Active: true,
      Unit_Price: random.int(10, 999),
      Qty_in_Stock: random.int(0, 500),
      Product_Category: "Hardware",
      Taxable: true,
    });
  }
  // Activities last: no random draws, so the records above stay as they were before these existed.
  for (let i = 0; i < 2; i++) {
    const start = state.epochMs + (i + 2) * 86_400_000;
    add("Events", {
      Event_Title: `Quarterly review ${i + 1}`,
      Venue: "Online",
      Start_DateTime: zohoDateTime(start),
      End_DateTime: zohoDateTime(start + 3_600_000),
      Who_Id: { id: contacts[i]! },
      $se_module: "Accounts",
      What_Id: { id: accounts[i]! },
    });
    add("Calls", {
      Subject: `Discovery call ${i + 1}`,
      Call_Type: "Outbound",
      Call_Purpose: "Prospecting",
      Call_Start_Time: zohoDateTime(start),
      Call_Duration: "12:30",
      Who_Id: { id: contacts[i]! },
    });
  }
}

/**
 * The user with this email, created on first use (active, confirmed, Standard profile) so tests
 * can mint grants for any address.
 */
export function ensureUser(state: CrmState, email: string): EmulatorUser {
  const existing = state.userByEmail(email);
  if (existing) return existing;
  const local = email.split("@")[0] ?? email;
  const [first, ...rest] = local.split(/[._-]+/).filter(Boolean);
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  const admin = state.users()[0];
  const role = state.roles.find((r) => r.name === "Manager") ?? state.roles[0]!;
  const profile = state.profiles.find((p) => p.name === "Standard") ?? state.profiles[0]!;
  const user = newUser({
    id: state.ids.next(),
    zuid: String(20_000_000 + state.users().length),
    email,
    first: rest.length > 0 && first ? cap(first) : null,
    last: cap(rest.length > 0 ? rest.join(" ") : (first ?? local)),
    role,
    profile,
    status: "active",
    confirm: true,
    createdBy: admin ? state.userLookup(admin) : undefined,
    timeMs: state.clock.now(),
  });
  state.saveUser(user);
  return user;
}
