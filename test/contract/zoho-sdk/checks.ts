/**
 * Checks of what Zoho's SDK returns: the response object must be the SDK's own model class (a
 * wrapper, a handler's success branch), never its APIException, and write results must all be
 * its SuccessResponse. Failures name Zoho's error code, message and details.
 */
import type { ZohoValue } from "./load.js";

/** Zoho's error as the SDK parsed it (an APIException or a non-success action item). */
function describeZohoError(value: ZohoValue): string {
  if (value === null || value === undefined) return String(value);
  const read = (getter: string) => {
    const fn = value[getter];
    if (typeof fn !== "function") return undefined;
    const v = fn.call(value);
    return v && typeof v.getValue === "function" ? v.getValue() : v;
  };
  const details = read("getDetails");
  const json = (v: unknown) => JSON.stringify(v, (_key, x) => (typeof x === "bigint" ? String(x) : x));
  const shown = details instanceof Map ? json(Object.fromEntries(details)) : json(details);
  return `${value.constructor?.name ?? typeof value} ${read("getCode") ?? ""} ${read("getMessage") ?? ""} ${shown ?? ""}`.trim();
}

/** `response.getObject()`, which must be an instance of `model` (HTTP status in the message otherwise). */
export function modelOf(response: ZohoValue, model: ZohoValue): ZohoValue {
  if (!response) throw new Error(`Zoho's SDK returned no response where ${model.name} was expected`);
  const object = response.getObject();
  if (!(object instanceof model)) {
    throw new Error(`expected ${model.name}, got HTTP ${response.getStatusCode()} with ${describeZohoError(object)}`);
  }
  return object;
}

/** Every item must be the SDK's `SuccessResponse` (of the operation's package); returns the items. */
export function successes(items: ZohoValue, success: ZohoValue): ZohoValue[] {
  if (!Array.isArray(items) || items.length === 0) throw new Error(`expected ${success.name} items, got ${describeZohoError(items)}`);
  for (const item of items) if (!(item instanceof success)) throw new Error(`expected ${success.name}, got ${describeZohoError(item)}`);
  return items;
}

/** A success item's `details` map as a plain object. */
export function detailsOf(item: ZohoValue): Record<string, ZohoValue> {
  const details = item.getDetails();
  return details instanceof Map ? Object.fromEntries(details) : { ...details };
}

/** The value of a Choice (or the value itself). */
export function choiceValue(choice: ZohoValue): ZohoValue {
  return choice && typeof choice.getValue === "function" ? choice.getValue() : choice;
}
