/** Codec of bulk read jobs: the module by API name, the result ZIP as base64; unfinished jobs' timers re-armed on the emulator clock. */
import { areaCodec, fromBase64, toBase64 } from "../../area-codec.js";
import { completionDue, READ_AREA, tick, type ReadArea, type ReadJob } from "../bulk-read-routes.js";

type JobJson = Omit<ReadJob, "module" | "zip"> & { module: string; zip: string | null };

export const bulkReadCodec = areaCodec<ReadArea, { jobs: JobJson[] }>({
  name: READ_AREA,
  // `callbacks` is a log of deliveries for tests, not state: it starts empty after a restart.
  snapshot: (area) => ({ jobs: [...area.jobs.values()].map((job) => ({ ...job, module: job.module.api_name, zip: job.zip ? toBase64(job.zip) : null })) }),
  restore: (json, state) => {
    const area: ReadArea = { jobs: new Map(), callbacks: [] };
    for (const { zip, ...job } of json.jobs) {
      const module = state.module(job.module);
      if (!module) continue;
      area.jobs.set(job.id, { ...job, module, ...(zip === null ? {} : { zip: fromBase64(zip) }) });
      if (job.state === "ADDED" || job.state === "IN PROGRESS") state.clock.at(completionDue(state, job.createdMs), () => tick(state));
    }
    return area;
  },
});
