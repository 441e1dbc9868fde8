/**
 * `generatedRecords: N`: N realistic records per module on top of the sample data, derived from the
 * seed (same seed, same records). Values follow each field's type (picklists from the field's own
 * values, lookups to existing records, owners among active users); Created_Time/Modified_Time are
 * spread over half a year at second resolution, some records sharing a second. Records are built
 * directly (no per-record validation or unique scan) and inserted in one batch, so 100k per module
 * take seconds; the values are chosen to pass the module's rules anyway.
 */
import { zohoDate } from "./clock.js";
import type { CrmState } from "./crm-state.js";
import { SE_MODULE, type FieldDef, type ModuleDef } from "./module-metadata.js";
import { SeededRandom } from "./random.js";
import { CITIES, COMPANY_SUFFIXES, COUNTRIES, DEPARTMENTS, FIRST_NAMES, LAST_NAMES, STATES, STREETS, TITLES, WORDS } from "./sample-words.js";
import type { Lookup, StoredRecord } from "./types.js";

/** The modules `generatedRecords` fills by default (parents first, so lookups find records). */
export const GENERATED_MODULES: readonly string[] = ["Accounts", "Contacts", "Deals", "Leads"];

const DAY_MS = 86_400_000;
const two = (n: number) => (n < 10 ? `0${n}` : String(n));
/** Generated records start a week after the seed epoch (after the sample data) and span ~180 days. */
const START_OFFSET_MS = 7 * DAY_MS;
const SPAN_SEC = 180 * 86_400;

export interface GenerateOptions {
  count: number;
  seed: number | string;
  modules?: readonly string[];
}

interface Person {
  first: string;
  last: string;
}

/** One module's generation: the shared random source, lookup pools and the record being built. */
class ModuleGenerator {
  readonly #state: CrmState;
  readonly #module: ModuleDef;
  readonly #random: SeededRandom;
  readonly #owners: Array<{ name: string; id: string; email: string }>;
  readonly #pools = new Map<string, Lookup[]>();
  readonly #by = new Map<string, Lookup>();
  readonly #times = new Map<number, string>();
  readonly #days = new Map<number, string>();
  /** Makes an object with every field null, in field order: one literal shape for all records. */
  readonly #blank: () => Record<string, unknown>;

  constructor(state: CrmState, module: ModuleDef, random: SeededRandom) {
    this.#state = state;
    this.#module = module;
    this.#random = random;
    this.#owners = state
      .users()
      .filter((u) => u.status === "active")
      .map((u) => ({ name: u.full_name, id: u.id, email: u.email }));
    for (const o of this.#owners) this.#by.set(o.id, { name: o.name, id: o.id });
    // An object literal is V8's fastest way to a 40-property object (spreading a template is not);
    // keys are quoted with JSON.stringify, so no field name can inject code.
    const keys = ["id", ...module.fields.map((f) => f.api_name)].map((k) => `${JSON.stringify(k)}: null`);
    this.#blank = new Function(`return { ${keys.join(", ")} };`) as () => Record<string, unknown>;
    for (const field of module.fields) {
      if (field.data_type !== "lookup" || !field.lookupModule) continue;
      const target = field.lookupModule === SE_MODULE ? "Accounts" : field.lookupModule;
      const def = state.module(target);
      if (def)
        this.#pools.set(
          field.api_name,
          state.records(def.api_name).map((r) => ({ name: state.displayName(def, r), id: r.id })),
        );
    }
  }

  record(n: number, createdMs: number, modifiedMs: number): StoredRecord {
    const r = this.#random;
    const id = this.#state.ids.next();
    const person: Person = { first: r.pick(FIRST_NAMES), last: r.pick(LAST_NAMES) };
    const company = `${r.pick(WORDS)} ${r.pick(COMPANY_SUFFIXES)}`;
    const data = this.#blank();
    data.id = id;
    for (const field of this.#module.fields) if (!field.readOnly) data[field.api_name] = this.#value(field, n, person, company, createdMs);
    const owner = r.pick(this.#owners);
    const creator = r.next() < 0.7 ? owner : r.pick(this.#owners);
    // Lookup objects and time texts are shared between records: stored values are never mutated in place.
    data.Owner = owner;
    data.Created_By = this.#by.get(creator.id);
    data.Modified_By = this.#by.get(r.next() < 0.5 ? creator.id : owner.id);
    data.Created_Time = this.#time(createdMs);
    data.Modified_Time = this.#time(modifiedMs);
    if ("Full_Name" in data) data.Full_Name = [data.First_Name, data.Last_Name].filter((v) => typeof v === "string" && v !== "").join(" ");
    if (this.#module.convertable) {
      data.$converted = false;
      data.$converted_detail = {};
    }
    return { module: this.#module.api_name, id, data, createdMs, modifiedMs };
  }

  /** zohoDateTime(ms), memoised (records share seconds) and built from a per-day prefix (hot path). */
  #time(ms: number): string {
    let text = this.#times.get(ms);
    if (text === undefined) {
      const sec = Math.floor((ms % DAY_MS) / 1000);
      text = `${this.#day(ms)}T${two(Math.floor(sec / 3600))}:${two(Math.floor(sec / 60) % 60)}:${two(sec % 60)}+00:00`;
      this.#times.set(ms, text);
    }
    return text;
  }

  #day(ms: number): string {
    const day = Math.floor(ms / DAY_MS);
    let text = this.#days.get(day);
    if (text === undefined) {
      text = zohoDate(day * DAY_MS);
      this.#days.set(day, text);
    }
    return text;
  }

  /** Mandatory and unique fields always get a value; others half the time (real orgs have gaps). */
  #value(field: FieldDef, n: number, p: Person, company: string, createdMs: number): unknown {
    const r = this.#random;
    if (field.data_type === "boolean") return r.next() < 0.3;
    if (field.api_name === "Owner" || field.data_type === "ownerlookup") return null;
    if (field.api_name === "$se_module") return this.#pools.has("What_Id") || this.#pools.has("Parent_Id") ? "Accounts" : null;
    if (!field.mandatory && !field.unique && r.next() < 0.5) return null;
    const name = field.api_name;
    switch (field.data_type) {
      case "email":
        return field.unique || name === "Email"
          ? `${p.first}.${p.last}.${n}@example.net`.toLowerCase()
          : `${p.first[0]}${p.last}${n}@mail.example`.toLowerCase();
      case "phone":
        return `+1 555 ${r.int(1_000_000, 9_999_999)}`;
      case "website":
        return `www.${company.toLowerCase().replace(/[^a-z]+/g, "")}${n}.example`;
      case "picklist": {
        const values = (field.picklist ?? []).filter((v) => v !== "-None-");
        return values.length > 0 ? r.pick(values) : null;
      }
      case "multiselectpicklist": {
        const values = (field.picklist ?? []).filter((v) => v !== "-None-");
        return values.filter(() => r.next() < 0.3);
      }
      case "integer":
        return name === "Probability" ? r.int(0, 100) : name === "SIC_Code" ? r.int(1000, 9999) : r.int(1, 10_000);
      case "bigint":
        return r.int(1_000_000, 9_999_999_999);
      case "double":
      case "currency":
        return name === "Annual_Revenue" ? r.int(1, 5000) * 1000 : Math.round(r.int(100, 50_000_000)) / 100;
      case "date":
        return name === "Date_of_Birth" ? this.#day(Date.UTC(1950, 0, 1) + r.int(0, 50 * 365) * DAY_MS) : this.#day(createdMs + r.int(-30, 180) * DAY_MS);
      case "datetime":
        return this.#time(createdMs + r.int(0, 30 * 86_400) * 1000);
      case "lookup": {
        const pool = this.#pools.get(name);
        return pool && pool.length > 0 ? r.pick(pool) : null;
      }
      case "textarea":
        return `${r.pick(WORDS)} ${r.pick(WORDS).toLowerCase()} ${r.pick(WORDS).toLowerCase()}: follow up with ${p.first}.`;
      default:
        return this.#text(field, n, p, company);
    }
  }

  #text(field: FieldDef, n: number, p: Person, company: string): string {
    const r = this.#random;
    const name = field.api_name;
    let text: string;
    if (name === "First_Name") text = p.first;
    else if (name === "Last_Name") text = p.last;
    else if (name === "Account_Name" || name === "Company") text = field.unique ? `${company} ${n}` : company;
    else if (name === "Deal_Name") text = `${company} ${r.pick(["renewal", "expansion", "new licence", "upgrade", "pilot"])} ${n}`;
    else if (name.endsWith("City")) text = r.pick(CITIES);
    else if (name.endsWith("State")) text = r.pick(STATES);
    else if (name.endsWith("Country")) text = r.pick(COUNTRIES);
    else if (name.endsWith("Street")) text = `${r.int(1, 9999)} ${r.pick(STREETS)}`;
    else if (name.endsWith("Zip") || name.endsWith("Zip_Code") || name.endsWith("_Code")) text = String(r.int(10000, 99999));
    else if (name === "Designation" || name === "Title") text = r.pick(TITLES);
    else if (name === "Department") text = r.pick(DEPARTMENTS);
    else if (name === "Skype_ID" || name === "Twitter") text = `${p.first}${p.last}${n}`.toLowerCase();
    else if (field.external || field.unique) text = `${name.replace(/_/g, "").slice(0, 8).toUpperCase()}-${n}`;
    else if (name === "Ticker_Symbol") text = company.replace(/[^A-Z]/g, "").slice(0, 4) || "ZYLK";
    else text = `${r.pick(WORDS)} ${r.pick(WORDS).toLowerCase()}`;
    return text.slice(0, field.length);
  }
}

/** Adds `count` generated records to each module (default GENERATED_MODULES), in one batch per module. */
export function generateRecords(state: CrmState, options: GenerateOptions): void {
  const random = new SeededRandom(`${options.seed}:generated`);
  const start = state.epochMs + START_OFFSET_MS;
  for (const name of options.modules ?? GENERATED_MODULES) {
    const module = state.module(name);
    if (!module || options.count <= 0) continue;
    const generator = new ModuleGenerator(state, module, random);
    // Mean gap between creations; one in ten records shares its predecessor's second.
    const meanGapSec = Math.max(1, Math.floor(SPAN_SEC / options.count));
    let createdSec = 0;
    const records: StoredRecord[] = [];
    for (let i = 0; i < options.count; i++) {
      if (random.next() >= 0.1) createdSec += random.int(1, 2 * meanGapSec);
      const createdMs = start + createdSec * 1000;
      const touched = random.next();
      // Two in five never modified; some modified within the hour; the rest days later.
      const modifiedMs = touched < 0.4 ? createdMs : createdMs + (touched < 0.6 ? random.int(0, 3600) : random.int(3600, 60 * 86_400)) * 1000;
      records.push(generator.record(i + 1, createdMs, modifiedMs));
    }
    state.insertRecords(records);
  }
}
