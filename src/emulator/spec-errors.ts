/** Ajv errors as one line each, for logs and assertion messages. Apart from the validator so that
 * formatting them never loads Ajv (an optional package). */
import type { ErrorObject } from "ajv/dist/2020.js";

export function formatAjvErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map(
    (e) =>
      `${e.instancePath || "/"} ${e.message ?? e.keyword}${e.keyword === "additionalProperties" ? ` (${String((e.params as { additionalProperty?: unknown }).additionalProperty)})` : ""}`,
  );
}
