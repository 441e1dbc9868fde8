/**
 * The state of the records-adjacent routes (attachments, photos, tags, relations, sharing, contact
 * roles, mass-update jobs), kept in the CRM state's `areas` map under one key: created on first
 * use, owned by one emulator instance; with persistence, `crm-routes/codecs/records-extra.ts` keeps it.
 */
import type { CrmState } from "../../crm-state.js";
import type { Lookup } from "../../types.js";

export const RECORDS_EXTRA_AREA = "records-extra";

export interface StoredAttachment {
  id: string;
  module: string;
  parentId: string;
  fileName: string;
  /** Bytes of a file attachment; undefined for a link. */
  bytes: Buffer | undefined;
  contentType: string;
  linkUrl: string | undefined;
  fileId: string | undefined;
  owner: Lookup & { email?: string };
  createdMs: number;
}

export interface StoredPhoto {
  bytes: Buffer;
  contentType: string;
  fileName: string;
}

export interface StoredTag {
  id: string;
  module: string;
  name: string;
  createdBy: Lookup;
  modifiedBy: Lookup;
  createdMs: number;
  modifiedMs: number;
}

/** A many-to-many relation (`products`: a record and a product; `contact_roles`: a deal and a contact). */
export interface StoredLink {
  list: string;
  aModule: string;
  aId: string;
  bModule: string;
  bId: string;
  /** The relation's own fields (e.g. `Contact_Role`). */
  data: Record<string, unknown>;
}

export interface StoredShare {
  module: string;
  recordId: string;
  userId: string;
  permission: "read_only" | "read_write" | "full_access";
  shareRelated: boolean;
  sharedBy: string;
  sharedMs: number;
}

export interface StoredContactRole {
  id: string;
  name: string;
  sequence_number: number;
}

export interface StoredMassUpdateJob {
  id: string;
  module: string;
  createdMs: number;
  total: number;
  updated: number;
  notUpdated: number;
  failed: number;
}

const DEFAULT_CONTACT_ROLES = [
  "Purchasing",
  "Technical Buyer",
  "Economic Buyer",
  "Economic Decision Maker",
  "Evaluator",
  "Executive Sponsor",
  "Influencer",
  "Technical Evaluator",
  "Decision Maker",
  "Product Management",
  "Developer/Evaluator",
  "Other",
];

/** A stable id outside the counter's range (fixed metadata: seeded roles, blueprint transitions). */
export function fixedId(state: CrmState, offset: number): string {
  return `${state.ids.prefix}${String(900_000_000_000 + offset).padStart(12, "0")}`;
}

export class RecordsExtraState {
  readonly attachments = new Map<string, StoredAttachment>();
  /** By `module:id`. */
  readonly photos = new Map<string, StoredPhoto>();
  readonly tags = new Map<string, StoredTag>();
  readonly links: StoredLink[] = [];
  readonly shares: StoredShare[] = [];
  readonly contactRoles: StoredContactRole[];
  readonly jobs = new Map<string, StoredMassUpdateJob>();
  /** Last change of relations (links, contact roles) for If-Modified-Since. */
  linksChangedMs: number;

  constructor(state: CrmState) {
    this.contactRoles = DEFAULT_CONTACT_ROLES.map((name, i) => ({ id: fixedId(state, 100 + i), name, sequence_number: i + 1 }));
    this.linksChangedMs = state.epochMs;
  }

  static of(state: CrmState): RecordsExtraState {
    let extra = state.areas.get(RECORDS_EXTRA_AREA) as RecordsExtraState | undefined;
    if (!extra) {
      extra = new RecordsExtraState(state);
      state.areas.set(RECORDS_EXTRA_AREA, extra);
    }
    return extra;
  }

  /** Links of `list` touching the record (module, id), towards `otherModule`. */
  linksOf(list: string, module: string, id: string, otherModule: string): Array<{ link: StoredLink; otherId: string }> {
    const out: Array<{ link: StoredLink; otherId: string }> = [];
    for (const link of this.links) {
      if (link.list !== list) continue;
      if (link.aModule === module && link.aId === id && link.bModule === otherModule) out.push({ link, otherId: link.bId });
      else if (link.bModule === module && link.bId === id && link.aModule === otherModule) out.push({ link, otherId: link.aId });
    }
    return out;
  }

  link(list: string, module: string, id: string, otherModule: string, otherId: string): StoredLink | undefined {
    return this.linksOf(list, module, id, otherModule).find((l) => l.otherId === otherId)?.link;
  }

  addLink(link: StoredLink, now: number): void {
    const existing = this.link(link.list, link.aModule, link.aId, link.bModule, link.bId);
    if (existing) Object.assign(existing.data, link.data);
    else this.links.push(link);
    this.linksChangedMs = Math.max(this.linksChangedMs, now);
  }

  removeLink(link: StoredLink, now: number): void {
    const index = this.links.indexOf(link);
    if (index >= 0) this.links.splice(index, 1);
    this.linksChangedMs = Math.max(this.linksChangedMs, now);
  }
}
