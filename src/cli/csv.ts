/**
 * CSV for `zcrm export`: RFC 4180 quoting, CRLF line ends, and nested values flattened to dotted
 * columns (`Owner.name`, `Owner.id`). Arrays of plain values are joined with `;` (as Zoho's own
 * exports do); arrays of objects (subform rows) are written as JSON.
 */

/** Flattens one record: nested objects become `parent.child` keys; arrays stay values. */
export function flattenRecord(record: Record<string, unknown>, prefix = "", out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [key, value] of Object.entries(record)) {
    const column = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === "object" && !Array.isArray(value)) flattenRecord(value as Record<string, unknown>, column, out);
    else out[column] = value;
  }
  return out;
}

/** Columns of a page: `id` first, then the union of the flattened keys in first-seen order. */
export function columnsOf(records: readonly Record<string, unknown>[]): string[] {
  const columns = new Set<string>();
  for (const record of records) for (const key of Object.keys(flattenRecord(record))) columns.add(key);
  return columns.has("id") ? ["id", ...[...columns].filter((c) => c !== "id")] : [...columns];
}

/**
 * Columns for requested fields: a dotted name is taken as is; a plain name expands to the
 * flattened columns the sample has under it (`Owner` → `Owner.id`, `Owner.name`), else itself.
 */
export function columnsForFields(fields: readonly string[], sample: readonly Record<string, unknown>[]): string[] {
  const seen = columnsOf(sample);
  const columns: string[] = [];
  for (const field of fields) {
    if (field.includes(".")) columns.push(field);
    else {
      const expanded = seen.filter((c) => c === field || c.startsWith(`${field}.`));
      columns.push(...(expanded.length > 0 ? expanded : [field]));
    }
  }
  return [...new Set(columns)];
}

export function csvCell(value: unknown): string {
  let text: string;
  if (value === null || value === undefined) text = "";
  else if (Array.isArray(value))
    text = value.every((v) => v === null || typeof v !== "object") ? value.map((v) => (v === null ? "" : String(v))).join(";") : JSON.stringify(value);
  else if (typeof value === "object") text = JSON.stringify(value);
  else text = String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(cells: readonly unknown[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

/** One record as a CSV row for the given columns. A column holding an object (seen flat elsewhere) is written as JSON. */
export function recordRow(record: Record<string, unknown>, columns: readonly string[]): string {
  const flat = flattenRecord(record);
  return csvRow(columns.map((column) => (column in flat ? flat[column] : record[column])));
}
