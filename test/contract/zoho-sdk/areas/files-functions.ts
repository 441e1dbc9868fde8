/**
 * Files (FileOperations: upload to the org's file store, download by id) and Deluge functions
 * (FunctionsOperations: by parameters, by request body, with an input file) through Zoho's SDK.
 *
 * One documented exception, Zoho's SDK at fault: FunctionsOperations takes the function's
 * `arguments` as a `Map` in its constructor and adds it to the query string with the value's
 * `toString()`, so the server receives `arguments=[object Map]` (routes/parameter_map.ts joins
 * `parsedParamValue.toString()`). The emulator answers that, correctly, with 400 INVALID_DATA
 * "arguments must be a JSON object"; the case asserts exactly that, so a fixed SDK shows up here.
 */
import { expect } from "vitest";
import { detailsOf, modelOf, successes, choiceValue } from "../checks.js";
import { type AreaContext, downloaded, params, uploadFile } from "../context.js";
import { zohoApi, zohoModule } from "../load.js";

const F = zohoApi("file/file_operations");
const { FileOperations } = F;
const { BodyWrapper: FilesBody } = zohoApi("file/body_wrapper");
const { ActionWrapper: FilesActions } = zohoApi("file/action_wrapper");
const { SuccessResponse: FileSuccess } = zohoApi("file/success_response");
const { FileBodyWrapper: FileDownload } = zohoApi("file/file_body_wrapper");
const { FunctionsOperations } = zohoApi("functions/functions_operations");
const { BodyWrapper: FunctionBody } = zohoApi("functions/body_wrapper");
const { FileBodyWrapper: FunctionFile } = zohoApi("functions/file_body_wrapper");
const { SuccessResponse: FunctionSuccess } = zohoApi("functions/success_response");
const { APIException: FunctionError } = zohoApi("functions/api_exception");
const { Param } = zohoModule("routes/param");
const { ParameterMap } = zohoModule("routes/parameter_map");

export async function filesArea(ctx: AreaContext): Promise<void> {
  const { ledger } = ctx;
  const ops = new FileOperations();
  const bytes = Buffer.from("quarterly,report\n1,2\n", "utf8");

  const id = await ledger.ok("files", "FileOperations.uploadFiles", async () => {
    const body = new FilesBody();
    body.setFile([await uploadFile(ctx, "report.csv", bytes)]);
    const [item] = successes(modelOf(await ops.uploadFiles(body, await params([F.UploadFilesParam.TYPE, "inline"])), FilesActions).getData(), FileSuccess);
    expect(detailsOf(item).name).toBe("report.csv");
    return String(detailsOf(item).id);
  });
  await ledger.ok("files", "FileOperations.getFile", async () => {
    const file = modelOf(await ops.getFile(await params([F.GetFileParam.ID, id])), FileDownload).getFile();
    expect(file.getName()).toBe("report.csv");
    expect(Buffer.compare(await downloaded(file), bytes)).toBe(0);
  });
}

export async function functionsArea(ctx: AreaContext): Promise<void> {
  const { ledger } = ctx;
  const output = (response: unknown): string => {
    const result = modelOf(response, FunctionSuccess);
    expect(choiceValue(result.getCode())).toBe("success");
    return String(detailsOf(result).output);
  };

  await ledger.ok("functions", "FunctionsOperations.executeFunctionUsingParameters", async () => {
    // Without arguments: the SDK's only way to pass them is the constructor's Map, which it sends broken
    // (the documented exception below), and a ParameterMap entry of its own Param class fails inside the
    // SDK (HeaderParamValidator reads the type of a name its json_details does not know). `echo` answers
    // the arguments it received: none.
    expect(JSON.parse(output(await new FunctionsOperations("echo", "oauth").executeFunctionUsingParameters()))).toEqual({});
  });
  await ledger.ok("functions", "FunctionsOperations.executeFunctionUsingRequestBody", async () => {
    const body = new FunctionBody();
    body.setBody(new Map<string, unknown>([["greeting", "hello"]]));
    // The body is free-form; Zoho's SDK sends its BodyWrapper as `{"body": {...}}`, and `echo` answers it as received.
    const echoed = JSON.parse(output(await new FunctionsOperations("echo", "oauth").executeFunctionUsingRequestBody(body)));
    expect(echoed).toEqual({ body: { greeting: "hello" } });
  });
  await ledger.ok("functions", "FunctionsOperations.executeFunctionUsingFile", async () => {
    const file = new FunctionFile();
    file.setInputfile(await uploadFile(ctx, "lines.txt", Buffer.from("one\ntwo\nthree\n", "utf8")));
    expect(JSON.parse(output(await new FunctionsOperations("file_info", "oauth").executeFunctionUsingFile(file)))).toEqual({
      name: "lines.txt",
      size: 14,
      lines: 3,
    });
  });

  await ledger.sdkFault(
    "functions",
    "FunctionsOperations(arguments: Map).executeFunctionUsingParameters",
    "Zoho's SDK sends a Map of function arguments as `arguments=[object Map]` (its ParameterMap stringifies the value); the emulator's 400 INVALID_DATA is the right answer",
    async () => {
      ctx.session.expectedErrors.push("executeFunctionUsingParameters 400 INVALID_DATA");
      const withMap = new FunctionsOperations(
        "add_numbers",
        "oauth",
        new Map<string, unknown>([
          ["a", 2],
          ["b", 40],
        ]),
      );
      const response = await withMap.executeFunctionUsingParameters();
      expect(response.getStatusCode()).toBe(400);
      const error = response.getObject();
      expect(error).toBeInstanceOf(FunctionError);
      expect([choiceValue(error.getCode()), choiceValue(error.getMessage())]).toEqual(["INVALID_DATA", "arguments must be a JSON object"]);
      // The cause, in the SDK's own code: its ParameterMap turns the Map into "[object Map]".
      const query = new ParameterMap();
      await query.add(new Param("arguments", "com.zoho.crm.api.Functions.ExecuteFunctionUsingParametersParam"), new Map([["a", 2]]));
      expect(query.getParameterMap().get("arguments")).toBe("[object Map]");
    },
  );
}
