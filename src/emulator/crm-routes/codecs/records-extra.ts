/** Codec of the records-adjacent area: attachments (bytes as base64), photos, tags, links, shares, contact roles, mass-update jobs. */
import { areaCodec, fromBase64, toBase64 } from "../../area-codec.js";
import {
  RECORDS_EXTRA_AREA,
  RecordsExtraState,
  type StoredAttachment,
  type StoredContactRole,
  type StoredLink,
  type StoredMassUpdateJob,
  type StoredPhoto,
  type StoredShare,
  type StoredTag,
} from "../records-extra/state.js";

type Json = {
  attachments: Array<Omit<StoredAttachment, "bytes"> & { bytes: string | null }>;
  photos: Array<[key: string, photo: Omit<StoredPhoto, "bytes"> & { bytes: string }]>;
  tags: StoredTag[];
  links: StoredLink[];
  shares: StoredShare[];
  contactRoles: StoredContactRole[];
  jobs: StoredMassUpdateJob[];
  linksChangedMs: number;
};

export const recordsExtraCodec = areaCodec<RecordsExtraState, Json>({
  name: RECORDS_EXTRA_AREA,
  snapshot: (extra) => ({
    attachments: [...extra.attachments.values()].map((a) => ({ ...a, bytes: a.bytes ? toBase64(a.bytes) : null })),
    photos: [...extra.photos].map(([key, p]) => [key, { ...p, bytes: toBase64(p.bytes) }]),
    tags: [...extra.tags.values()],
    links: extra.links,
    shares: extra.shares,
    contactRoles: extra.contactRoles,
    jobs: [...extra.jobs.values()],
    linksChangedMs: extra.linksChangedMs,
  }),
  restore: (json, state) => {
    const extra = new RecordsExtraState(state);
    for (const a of json.attachments) extra.attachments.set(a.id, { ...a, bytes: a.bytes === null ? undefined : fromBase64(a.bytes) });
    for (const [key, p] of json.photos) extra.photos.set(key, { ...p, bytes: fromBase64(p.bytes) });
    for (const t of json.tags) extra.tags.set(t.id, t);
    extra.links.push(...json.links);
    extra.shares.push(...json.shares);
    extra.contactRoles.splice(0, extra.contactRoles.length, ...json.contactRoles);
    for (const j of json.jobs) extra.jobs.set(j.id, j);
    extra.linksChangedMs = json.linksChangedMs;
    return extra;
  },
});
