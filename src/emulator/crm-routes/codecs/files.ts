/** Codec of files uploaded through `/crm/v2/files` (bytes as base64). */
import { areaCodec, fromBase64, toBase64 } from "../../area-codec.js";
import type { FormFile } from "../../multipart.js";
import { FILES_AREA } from "../file-function-routes.js";

type FileJson = Omit<FormFile, "data"> & { id: string; data: string };

export const filesCodec = areaCodec<Map<string, FormFile>, FileJson[]>({
  name: FILES_AREA,
  snapshot: (files) => [...files].map(([id, f]) => ({ ...f, id, data: toBase64(f.data) })),
  restore: (json) => new Map(json.map(({ id, data, ...f }) => [id, { ...f, data: fromBase64(data) }])),
});
