/** The package entry. It must not load TypeORM or database drivers: those live in `zcrm-typed/typeorm`. */
export { createZohoCRM, type ZohoCRMClient, type ZohoAuth } from "./client.js";
export type { ZohoCRMOptions, ResolvedConfig, RetryOptions, AccessTokenSource, ApiVersion, TokenRefreshedEvent, ReauthRequiredEvent } from "./config.js";
export { DATA_CENTRES, ENVIRONMENTS, accountsUrlFor, apiBaseUrlFor, contentUrlFor, dataCenterOf, type DataCenter, type Environment } from "./data-centres.js";
export { ZohoError, ZohoConfigError, ZohoAuthError, ZohoNetworkError, ZohoApiError, ZohoSyncError } from "./errors.js";
export type { TokenRecord, TokenStore, LockedRefresh } from "./stores/token-store.js";
export { MemoryTokenStore } from "./stores/memory-token-store.js";
export { FileTokenStore } from "./stores/file-token-store.js";
export type { TokenStatus } from "./auth/token-manager.js";
export type { Logger, LogLevel } from "./logging.js";
export type { paths, components, operations } from "../generated/crm-v2.js";
export { SDK_VERSION } from "./version.js";
export { fromZcrmsdkConfig, zcrmsdkPersistence, type ZcrmsdkConfig, type ZcrmsdkPersistence } from "./zcrmsdk-config.js";
export type { SharedConcurrencyOptions } from "./transport/redis-limiter.js";
export {
  splitWriteResults,
  rateLimitInfo,
  errorOf,
  type SplitWriteResults,
  type WriteOutcome,
  type WriteResultItem,
  type RateLimitInfo,
  type ZohoErrorBody,
} from "./results.js";
export {
  createModuleApi,
  type ModuleApi,
  type ModuleAccessor,
  type ModuleTypes,
  type ModuleTypesOf,
  type FieldName,
  type GenericOrg,
  type GenericModule,
  type NoOrgTypes,
  type StandardModules,
  type StandardModuleName,
  type WriteSummary,
} from "./module-api.js";
/** The shipped record types of Zoho's standard modules: `StandardTypes.Leads`, `StandardTypes.LeadsCreate`, ... */
export type * as StandardTypes from "../generated/standard-modules.js";
export type { Paginate, PaginateOptions, Page, PageItem, PaginatedPath } from "./paginate.js";
export {
  uploadFile,
  downloadFile,
  fileNameFromDisposition,
  type UploadPath,
  type DownloadPath,
  type UploadInit,
  type DownloadInit,
  type FileSource,
  type UploadFileOptions,
  type DownloadOptions,
  type DownloadedBuffer,
  type DownloadedStream,
} from "./files.js";
