/** Codec of bulk write: uploaded files and jobs (module, file and user by reference), result ZIPs as base64, timers re-armed. */
import { areaCodec, fromBase64, toBase64 } from "../../area-codec.js";
import { BULK_COMPLETED_MS } from "../bulk-read-routes.js";
import { tick, WRITE_AREA, type Counts, type ResourceInput, type UploadedFile, type WriteArea, type WriteJob } from "../bulk-write-routes.js";

type JobJson = Omit<WriteJob, "resources" | "user" | "zip"> & {
  resources: Array<{ input: ResourceInput; module: string; fileId: string; counts?: Counts }>;
  userId: string;
  zip: string | null;
};

export const bulkWriteCodec = areaCodec<WriteArea, { files: UploadedFile[]; jobs: JobJson[] }>({
  name: WRITE_AREA,
  snapshot: (area) => ({
    files: [...area.files.values()],
    jobs: [...area.jobs.values()].map(({ resources, user, zip, ...job }) => ({
      ...job,
      resources: resources.map((r) => ({ input: r.input, module: r.module.api_name, fileId: r.file.id, ...(r.counts ? { counts: r.counts } : {}) })),
      userId: user.id,
      zip: zip ? toBase64(zip) : null,
    })),
  }),
  restore: (json, state) => {
    const area: WriteArea = { files: new Map(json.files.map((f) => [f.id, f])), jobs: new Map(), callbacks: [] };
    for (const { resources, userId, zip, ...job } of json.jobs) {
      const user = state.user(userId);
      const restored = resources.map((r) => ({ input: r.input, module: state.module(r.module), file: area.files.get(r.fileId), counts: r.counts }));
      if (!user || restored.some((r) => !r.module || !r.file)) continue;
      const list = restored.map((r) => ({ input: r.input, module: r.module!, file: r.file!, ...(r.counts ? { counts: r.counts } : {}) }));
      area.jobs.set(job.id, { ...job, resources: list, user, ...(zip === null ? {} : { zip: fromBase64(zip) }) });
      if (job.status !== "COMPLETED") state.clock.at(job.createdMs + BULK_COMPLETED_MS + 10, () => tick(state));
    }
    return area;
  },
});
