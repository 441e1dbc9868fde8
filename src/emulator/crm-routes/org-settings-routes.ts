/**
 * Org settings: the org photo (upload and download), currencies (multi-currency off until
 * `actions/enable` sets the base currency; then add, update, get) and org taxes (CRUD).
 */
import { zohoDateTime } from "../clock.js";
import type { CrmState } from "../crm-state.js";
import { parseMultipart } from "../multipart.js";
import type { CrmHandler, CrmRoute } from "../router.js";
import type { CrmRequest, Lookup, Reply } from "../types.js";
import { apiError, errorItem, errors, type ResultItem } from "../zoho-errors.js";
import { area, envelopeReply, invalidField, invalidId, itemsOf, mandatory, settingsIds, success } from "./areas.js";
import { listParam } from "./common.js";

// ---------------------------------------------------------------- org photo

export interface Photo {
  data: Buffer;
  contentType: string;
}

const IMAGE_TYPES: Array<{ type: string; magic: number[] }> = [
  { type: "image/png", magic: [0x89, 0x50, 0x4e, 0x47] },
  { type: "image/jpeg", magic: [0xff, 0xd8, 0xff] },
  { type: "image/gif", magic: [0x47, 0x49, 0x46, 0x38] },
  { type: "image/bmp", magic: [0x42, 0x4d] },
];

export const PHOTO_AREA = "org-photo";
const photoArea = (state: CrmState) => area<{ photo: Photo | undefined }>(state, PHOTO_AREA, () => ({ photo: undefined }));

/** The single multipart file of an upload, or the error reply. */
export function singleFile(req: CrmRequest, field = "file"): { data: Buffer; filename: string; contentType: string } | Reply {
  const form = parseMultipart(req.rawBody, req.headers["content-type"]);
  if (!form) return apiError(415, "MEDIA_TYPE_NOT_SUPPORTED", "send the file as multipart/form-data", {});
  const file = form.files.find((f) => f.field === field);
  if (!file) return errors.requiredParam(field);
  return file;
}

export const uploadOrganizationPhoto: CrmHandler = (req, ctx) => {
  const file = singleFile(req);
  if ("status" in file) return file;
  const image = IMAGE_TYPES.find((t) => t.magic.every((b, i) => file.data[i] === b));
  if (!image) return apiError(400, "INVALID_DATA", "the file is not a supported image (png, jpeg, gif, bmp)", { param_name: "file" });
  photoArea(ctx.state).photo = { data: file.data, contentType: image.type };
  ctx.state.org.photo_id = settingsIds(ctx.state).next();
  return { status: 200, body: { code: "SUCCESS", details: {}, message: "photo uploaded successfully", status: "success" } };
};

export const getOrganizationPhoto: CrmHandler = (_req, ctx) => {
  const photo = photoArea(ctx.state).photo;
  if (!photo) return { status: 204 };
  return { status: 200, headers: { "content-type": photo.contentType }, raw: photo.data };
};

// ---------------------------------------------------------------- currencies

type Format = { decimal_separator: string; thousand_separator: string; decimal_places: string };

export interface CurrencyDef {
  id: string;
  name: string;
  iso_code: string;
  symbol: string;
  exchange_rate: string;
  is_active: boolean;
  is_base: boolean;
  prefix_symbol: boolean;
  format: Format;
  created_time: string;
  created_by: Lookup;
  modified_time: string;
  modified_by: Lookup;
}

type CurrencyInput = Partial<Omit<CurrencyDef, "format">> & { format?: Partial<Format> };

const KNOWN: Record<string, [name: string, symbol: string]> = {
  USD: ["US Dollar", "$"],
  EUR: ["Euro", "€"],
  GBP: ["Pound Sterling", "£"],
  INR: ["Indian Rupee", "₹"],
  JPY: ["Japanese Yen", "¥"],
  AUD: ["Australian Dollar", "A$"],
  CAD: ["Canadian Dollar", "C$"],
  CNY: ["Yuan Renminbi", "¥"],
  SAR: ["Saudi Riyal", "SAR"],
};

const DEFAULT_FORMAT: Format = { decimal_separator: "Period", thousand_separator: "Comma", decimal_places: "2" };

export const CURRENCY_AREA = "currencies";
const currencyArea = (state: CrmState) => area<{ currencies: CurrencyDef[] }>(state, CURRENCY_AREA, () => ({ currencies: [] }));

function newCurrency(state: CrmState, req: CrmRequest, input: CurrencyInput, base: boolean): CurrencyDef {
  const iso = input.iso_code!;
  const [name, symbol] = KNOWN[iso] ?? [iso, iso];
  const now = zohoDateTime(state.clock.now());
  const by = state.userLookup(req.user);
  return {
    id: settingsIds(state).next(),
    name: input.name ?? `${name} - ${iso}`,
    iso_code: iso,
    symbol: input.symbol ?? symbol,
    exchange_rate: base ? "1.000000000" : input.exchange_rate!,
    is_active: input.is_active ?? true,
    is_base: base,
    prefix_symbol: input.prefix_symbol ?? true,
    format: { ...DEFAULT_FORMAT, ...input.format },
    created_time: now,
    created_by: by,
    modified_time: now,
    modified_by: by,
  };
}

function updateCurrencyDef(state: CrmState, req: CrmRequest, currency: CurrencyDef, input: CurrencyInput): ResultItem {
  if (input.iso_code !== undefined && input.iso_code !== currency.iso_code)
    return invalidField("iso_code", { reason: "the ISO code of a currency cannot change" });
  if (currency.is_base && input.exchange_rate !== undefined && Number(input.exchange_rate) !== 1)
    return invalidField("exchange_rate", { reason: "the base currency's rate is 1" });
  if (currency.is_base && input.is_active === false) return invalidField("is_active", { reason: "the base currency cannot be deactivated" });
  for (const key of ["name", "symbol", "exchange_rate", "is_active", "prefix_symbol"] as const) {
    if (input[key] !== undefined) (currency as unknown as Record<string, unknown>)[key] = input[key];
  }
  if (input.format) currency.format = { ...currency.format, ...input.format };
  currency.modified_time = zohoDateTime(state.clock.now());
  currency.modified_by = state.userLookup(req.user);
  return success("currency updated successfully", { id: currency.id });
}

const multiCurrencyOff = () =>
  apiError(400, "MULTI_CURRENCY_DISABLED", "multi-currency is not enabled; enable it with POST /crm/v2/org/currencies/actions/enable", {});

export const getCurrencies: CrmHandler = (_req, ctx) => {
  const { currencies } = currencyArea(ctx.state);
  return currencies.length === 0 ? { status: 204 } : { status: 200, body: { currencies } };
};

export const getCurrency: CrmHandler = (req, ctx) => {
  const currency = currencyArea(ctx.state).currencies.find((c) => c.id === req.params.id);
  return currency ? { status: 200, body: { currencies: [currency] } } : errors.invalidId(4);
};

export const addCurrencies: CrmHandler = (req, ctx) => {
  const { currencies } = currencyArea(ctx.state);
  if (currencies.length === 0) return multiCurrencyOff();
  const items = itemsOf<CurrencyInput>(req, "currencies").map((input): ResultItem => {
    if (!input.iso_code) return mandatory("iso_code");
    if (!input.exchange_rate) return mandatory("exchange_rate");
    if (currencies.some((c) => c.iso_code === input.iso_code)) return errorItem("DUPLICATE_DATA", "duplicate data", { api_name: "iso_code" });
    const currency = newCurrency(ctx.state, req, input, false);
    currencies.push(currency);
    return success("currency added successfully", { id: currency.id });
  });
  return envelopeReply("currencies", items, 201);
};

export const updateCurrencies: CrmHandler = (req, ctx) => {
  const { currencies } = currencyArea(ctx.state);
  if (currencies.length === 0) return multiCurrencyOff();
  const items = itemsOf<CurrencyInput>(req, "currencies").map((input) => {
    if (!input.id) return mandatory("id");
    const currency = currencies.find((c) => c.id === input.id);
    return currency ? updateCurrencyDef(ctx.state, req, currency, input) : invalidId(input.id);
  });
  return envelopeReply("currencies", items, 200);
};

export const updateCurrency: CrmHandler = (req, ctx) => {
  const currency = currencyArea(ctx.state).currencies.find((c) => c.id === req.params.id);
  if (!currency) return errors.invalidId(4);
  return envelopeReply("currencies", [updateCurrencyDef(ctx.state, req, currency, itemsOf<CurrencyInput>(req, "currencies")[0] ?? {})], 200);
};

export const enableMultipleCurrencies: CrmHandler = (req, ctx) => {
  const { currencies } = currencyArea(ctx.state);
  if (currencies.length > 0) return apiError(400, "ALREADY_ENABLED", "multi-currency is already enabled", {});
  const input = (req.body as { base_currency: CurrencyInput }).base_currency;
  if (!input.iso_code) return apiError(400, "MANDATORY_NOT_FOUND", "required field not found", { api_name: "iso_code" });
  const base = newCurrency(ctx.state, req, input, true);
  currencies.push(base);
  Object.assign(ctx.state.org, { mc_status: true, iso_code: base.iso_code, currency: base.name, currency_symbol: base.symbol });
  return { status: 201, body: { base_currency: success("Successfully enabled multicurrency", { id: base.id }) } };
};

export const updateBaseCurrency: CrmHandler = (req, ctx) => {
  const base = currencyArea(ctx.state).currencies.find((c) => c.is_base);
  if (!base) return multiCurrencyOff();
  const input = (req.body as { base_currency: CurrencyInput }).base_currency;
  if (input.id !== undefined && input.id !== base.id) return apiError(400, "INVALID_DATA", "the id is not the base currency's", { api_name: "id" });
  const item = updateCurrencyDef(ctx.state, req, base, input);
  if (item.status === "success") Object.assign(ctx.state.org, { currency: base.name, currency_symbol: base.symbol });
  return item.status === "success" ? { status: 200, body: { base_currency: item } } : apiError(400, item.code, item.message, item.details);
};

// ---------------------------------------------------------------- taxes

export interface TaxDef {
  id: string;
  name: string;
  value: number;
  sequence_number: number;
}

type TaxInput = Partial<TaxDef>;

export const TAX_AREA = "taxes";

function taxArea(state: CrmState): { taxes: TaxDef[] } {
  return area(state, TAX_AREA, () => {
    const ids = settingsIds(state);
    return {
      taxes: [
        { id: ids.next(), name: "Sales Tax", value: 10, sequence_number: 1 },
        { id: ids.next(), name: "Vat", value: 5.5, sequence_number: 2 },
      ],
    };
  });
}

const formatTax = (t: TaxDef) => ({
  id: t.id,
  name: t.name,
  display_label: `${t.name} - ${t.value.toFixed(1)} %`,
  value: t.value,
  sequence_number: t.sequence_number,
});

function taxesReply(taxes: TaxDef[]): Reply {
  if (taxes.length === 0) return { status: 204 };
  return { status: 200, body: { taxes: taxes.map(formatTax), preference: { auto_populate_tax: false, modify_tax_rates: true } } };
}

function applyTax(state: CrmState, input: TaxInput, existing: TaxDef | undefined): ResultItem {
  const { taxes } = taxArea(state);
  if (!existing && input.name === undefined) return mandatory("name");
  if (!existing && input.value === undefined) return mandatory("value");
  const name = input.name ?? existing!.name;
  if (taxes.some((t) => t !== existing && t.name.toLowerCase() === name.toLowerCase()))
    return errorItem("DUPLICATE_DATA", "duplicate data", { api_name: "name" });
  const next: TaxDef = {
    id: existing?.id ?? settingsIds(state).next(),
    name,
    value: input.value ?? existing!.value,
    sequence_number: input.sequence_number ?? existing?.sequence_number ?? taxes.length + 1,
  };
  if (existing) Object.assign(existing, next);
  else taxes.push(next);
  return success(existing ? "tax updated" : "tax added", { id: next.id });
}

function deleteTaxItem(state: CrmState, id: string): ResultItem {
  const { taxes } = taxArea(state);
  const index = taxes.findIndex((t) => t.id === id);
  if (index === -1) return invalidId(id);
  taxes.splice(index, 1);
  return success("tax deleted", { id });
}

export const getTaxes: CrmHandler = (_req, ctx) => taxesReply(taxArea(ctx.state).taxes);

export const getTax: CrmHandler = (req, ctx) => {
  const tax = taxArea(ctx.state).taxes.find((t) => t.id === req.params.id);
  return tax ? taxesReply([tax]) : errors.invalidId(4);
};

export const createTaxes: CrmHandler = (req, ctx) =>
  envelopeReply(
    "taxes",
    itemsOf<TaxInput>(req, "taxes").map((input) => (input.id !== undefined ? invalidField("id") : applyTax(ctx.state, input, undefined))),
    201,
  );

export const updateTaxes: CrmHandler = (req, ctx) =>
  envelopeReply(
    "taxes",
    itemsOf<TaxInput>(req, "taxes").map((input) => {
      if (!input.id) return mandatory("id");
      const existing = taxArea(ctx.state).taxes.find((t) => t.id === input.id);
      return existing ? applyTax(ctx.state, input, existing) : invalidId(input.id);
    }),
    200,
  );

export const deleteTaxes: CrmHandler = (req, ctx) => {
  const ids = listParam(req.query, "ids");
  if (!ids || ids.length === 0) return errors.requiredParam("ids");
  return envelopeReply(
    "taxes",
    ids.map((id) => deleteTaxItem(ctx.state, id)),
    200,
  );
};

export const deleteTax: CrmHandler = (req, ctx) => {
  if (!taxArea(ctx.state).taxes.some((t) => t.id === req.params.id)) return errors.invalidId(4);
  return envelopeReply("taxes", [deleteTaxItem(ctx.state, req.params.id!)], 200);
};

const currencies = { key: "currencies", type: "array" } as const;
const baseCurrency = { key: "base_currency", type: "object" } as const;
const taxes = { key: "taxes", type: "array" } as const;

export const ORG_SETTINGS_ROUTES: readonly CrmRoute[] = [
  { method: "POST", path: "/crm/v2/org/photo", operationId: "uploadOrganizationPhoto", scope: "org", access: "UPDATE", handler: uploadOrganizationPhoto },
  { method: "GET", path: "/crm/v2/org/photo", operationId: "getOrganizationPhoto", scope: "org", access: "READ", handler: getOrganizationPhoto },
  {
    method: "GET",
    path: "/crm/v2/org/currencies",
    operationId: "getCurrencies",
    scope: "settings",
    access: "READ",
    module: "currencies",
    handler: getCurrencies,
  },
  {
    method: "POST",
    path: "/crm/v2/org/currencies",
    operationId: "addCurrencies",
    scope: "settings",
    access: "CREATE",
    module: "currencies",
    body: currencies,
    handler: addCurrencies,
  },
  {
    method: "PUT",
    path: "/crm/v2/org/currencies",
    operationId: "updateCurrencies",
    scope: "settings",
    access: "UPDATE",
    module: "currencies",
    body: currencies,
    handler: updateCurrencies,
  },
  {
    method: "POST",
    path: "/crm/v2/org/currencies/actions/enable",
    operationId: "enableMultipleCurrencies",
    scope: "settings",
    access: "CREATE",
    module: "currencies",
    body: baseCurrency,
    handler: enableMultipleCurrencies,
  },
  {
    method: "PUT",
    path: "/crm/v2/org/currencies/actions/enable",
    operationId: "updateBaseCurrency",
    scope: "settings",
    access: "UPDATE",
    module: "currencies",
    body: baseCurrency,
    handler: updateBaseCurrency,
  },
  {
    method: "GET",
    path: "/crm/v2/org/currencies/{id}",
    operationId: "getCurrency",
    scope: "settings",
    access: "READ",
    module: "currencies",
    handler: getCurrency,
  },
  {
    method: "PUT",
    path: "/crm/v2/org/currencies/{id}",
    operationId: "updateCurrency",
    scope: "settings",
    access: "UPDATE",
    module: "currencies",
    body: currencies,
    handler: updateCurrency,
  },
  { method: "GET", path: "/crm/v2/org/taxes", operationId: "getTaxes", scope: "org", access: "READ", handler: getTaxes },
  { method: "POST", path: "/crm/v2/org/taxes", operationId: "createTaxes", scope: "org", access: "CREATE", body: taxes, handler: createTaxes },
  { method: "PUT", path: "/crm/v2/org/taxes", operationId: "updateTaxes", scope: "org", access: "UPDATE", body: taxes, handler: updateTaxes },
  { method: "DELETE", path: "/crm/v2/org/taxes", operationId: "deleteTaxes", scope: "org", access: "DELETE", handler: deleteTaxes },
  { method: "GET", path: "/crm/v2/org/taxes/{id}", operationId: "getTax", scope: "org", access: "READ", handler: getTax },
  { method: "DELETE", path: "/crm/v2/org/taxes/{id}", operationId: "deleteTax", scope: "org", access: "DELETE", handler: deleteTax },
];
