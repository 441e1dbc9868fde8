/**
 * Files (`/crm/v2/files`: upload up to 10 files, download one by id) and functions executed
 * through the REST API (`/crm/v2/functions/{functionName}/actions/execute`), with a few
 * emulator-defined functions: `add_numbers` (a + b), `echo` (its arguments as JSON),
 * `count_records` (records of `module`) and `file_info` (name, size and lines of `inputFile`).
 */
import { createHash } from "node:crypto";
import type { CrmState } from "../crm-state.js";
import { parseMultipart, type FormFile } from "../multipart.js";
import type { CrmHandler, CrmRoute } from "../router.js";
import type { CrmRequest, Reply } from "../types.js";
import { apiError, errors } from "../zoho-errors.js";
import { area, settingsIds } from "./areas.js";
import { fileReply } from "./file-reply.js";

// ---------------------------------------------------------------- files

const MAX_FILES = 10;

export const FILES_AREA = "files";
const filesArea = (state: CrmState) => area<Map<string, FormFile>>(state, FILES_AREA, () => new Map());

export const uploadFiles: CrmHandler = (req, ctx) => {
  const form = parseMultipart(req.rawBody, req.headers["content-type"]);
  if (!form) return apiError(415, "MEDIA_TYPE_NOT_SUPPORTED", "send the files as multipart/form-data", {});
  const files = form.files.filter((f) => f.field === "file");
  if (files.length === 0) return errors.requiredParam("file");
  if (files.length > MAX_FILES) return apiError(400, "LIMIT_EXCEEDED", "at most 10 files per upload", { param_name: "file", maximum_length: MAX_FILES });
  const store = filesArea(ctx.state);
  const data = files.map((file) => {
    // Zoho's file ids are long opaque hex strings, not numeric ids.
    const id = createHash("sha256")
      .update(`${ctx.state.ids.prefix}:${settingsIds(ctx.state).next()}`)
      .digest("hex");
    store.set(id, file);
    return { code: "SUCCESS", details: { name: file.filename, id }, message: `${file.filename} uploaded Succeessfully`, status: "success" };
  });
  return { status: 200, body: { data } };
};

export const getFile: CrmHandler = (req, ctx) => {
  const id = req.query.get("id");
  if (!id) return errors.requiredParam("id");
  const file = filesArea(ctx.state).get(id);
  if (!file) return apiError(400, "INVALID_DATA", "the id given seems to be invalid", { param_name: "id" });
  return fileReply(file.data, "application/octet-stream", file.filename);
};

// ---------------------------------------------------------------- functions

type Args = Record<string, unknown>;
type EmulatedFunction = (args: Args, state: CrmState, file: FormFile | undefined) => { output: string; type: string } | Reply;

const FUNCTIONS: Record<string, EmulatedFunction> = {
  add_numbers: (args) => {
    const a = Number(args.a);
    const b = Number(args.b);
    if (!Number.isFinite(a) || !Number.isFinite(b))
      return apiError(400, "INVALID_DATA", "add_numbers needs numeric arguments a and b", { param_name: "arguments" });
    return { output: String(a + b), type: "string" };
  },
  echo: (args) => ({ output: JSON.stringify(args), type: "string" }),
  count_records: (args, state) => {
    const module = typeof args.module === "string" ? state.module(args.module) : undefined;
    if (!module) return apiError(400, "INVALID_DATA", "count_records needs a module argument naming a module", { param_name: "module" });
    return { output: String(state.records(module.api_name).length), type: "string" };
  },
  file_info: (_args, _state, file) => {
    if (!file) return errors.requiredParam("inputFile");
    const text = file.data.toString("utf8");
    return {
      output: JSON.stringify({ name: file.filename, size: file.data.length, lines: text === "" ? 0 : text.split(/\r?\n/).filter((l) => l !== "").length }),
      type: "string",
    };
  },
};

const RESERVED = new Set(["auth_type", "arguments", "zapikey"]);

function parseArguments(value: unknown): Args | undefined {
  if (value === undefined || value === null || value === "") return {};
  if (typeof value === "object" && !Array.isArray(value)) return value as Args;
  if (typeof value !== "string") return undefined;
  try {
    const parsed = JSON.parse(value) as unknown;
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Args) : undefined;
  } catch {
    return undefined;
  }
}

const badArguments = () => apiError(400, "INVALID_DATA", "arguments must be a JSON object", { param_name: "arguments" });

/** Arguments: the query (`arguments` JSON plus other parameters), then the body's. */
function argumentsOf(req: CrmRequest): { args: Args; file: FormFile | undefined } | Reply {
  const fromQuery = parseArguments(req.query.get("arguments") ?? undefined);
  if (!fromQuery) return badArguments();
  const args: Args = { ...fromQuery };
  for (const [key, value] of req.query) if (!RESERVED.has(key)) args[key] = value;
  if (req.method !== "POST") return { args, file: undefined };
  const type = req.headers["content-type"] ?? "";
  if (/multipart\/form-data/i.test(type)) {
    const form = parseMultipart(req.rawBody, type);
    if (!form) return apiError(400, "INVALID_DATA", "the multipart body is malformed", {});
    for (const [key, values] of form.fields) args[key] = values.length === 1 ? values[0] : values;
    const file = form.files.find((f) => f.field === "inputFile");
    if (!file) return errors.requiredParam("inputFile");
    return { args, file };
  }
  const text = req.rawBody.toString("utf8");
  if (text.trim() === "") return apiError(400, "INVALID_DATA", "the request body is empty; send a JSON object of arguments", {});
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return apiError(400, "INVALID_DATA", "the request body is not valid JSON", {});
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) return badArguments();
  const { arguments: nested, ...rest } = body as Args;
  const inner = parseArguments(nested);
  if (!inner) return badArguments();
  return { args: { ...args, ...rest, ...inner }, file: undefined };
}

const execute: CrmHandler = (req, ctx) => {
  const auth = req.query.get("auth_type");
  if (auth !== null && auth !== "oauth" && auth !== "apikey")
    return apiError(400, "INVALID_DATA", "invalid data", { param_name: "auth_type", supported_values: ["oauth", "apikey"] });
  const fn = FUNCTIONS[req.params.functionName ?? ""];
  if (!fn) return apiError(404, "INVALID_URL_PATTERN", "no function with this API name is enabled for the REST API", { param_name: "functionName" });
  const input = argumentsOf(req);
  if ("status" in input) return input;
  const result = fn(input.args, ctx.state, input.file);
  if ("status" in result) return result;
  return {
    status: 200,
    body: {
      code: "success",
      details: { output: result.output, output_type: result.type, id: settingsIds(ctx.state).next() },
      message: "function executed successfully",
    },
  };
};

export const executeFunctionUsingParameters: CrmHandler = execute;
export const executeFunctionUsingRequestBody: CrmHandler = execute;

export const FILE_FUNCTION_ROUTES: readonly CrmRoute[] = [
  { method: "GET", path: "/crm/v2/files", operationId: "getFile", scope: "files", access: "READ", handler: getFile },
  { method: "POST", path: "/crm/v2/files", operationId: "uploadFiles", scope: "files", access: "CREATE", handler: uploadFiles },
  {
    method: "GET",
    path: "/crm/v2/functions/{functionName}/actions/execute",
    operationId: "executeFunctionUsingParameters",
    scope: "functions",
    access: "READ",
    module: "execute",
    handler: executeFunctionUsingParameters,
  },
  {
    method: "POST",
    path: "/crm/v2/functions/{functionName}/actions/execute",
    operationId: "executeFunctionUsingRequestBody",
    scope: "functions",
    access: "CREATE",
    module: "execute",
    handler: executeFunctionUsingRequestBody,
  },
];
