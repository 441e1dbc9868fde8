/** Code generation from an org's metadata: `zcrm gen-types` and its building blocks. */
export { generateOrgTypes, type GenerateOrgTypesInput, type Field, type LayoutMeta, type ModuleMeta } from "./gen-types.js";
export { fetchOrgMetadata, UnknownModuleError, type OrgMetadata } from "./fetch-metadata.js";
