/**
 * The `zcrm-typed/codegen` entry: record types generated from an org's metadata (what `zcrm gen-types`
 * runs), kept out of the core import.
 */
export { generateOrgTypes, type GenerateOrgTypesInput, type Field, type LayoutMeta, type ModuleMeta } from "./gen-types.js";
export { fetchOrgMetadata, UnknownModuleError, type OrgMetadata } from "./fetch-metadata.js";
