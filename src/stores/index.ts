// Token stores that do not need TypeORM. The TypeORM store is in the `zcrm-typed/typeorm` entry;
// the default SQLite store loads it lazily. Nothing here may import "typeorm".
export type { LockedRefresh, TokenRecord, TokenStore } from "./token-store.js";
export { MemoryTokenStore } from "./memory-token-store.js";
export { FileTokenStore, TOKEN_FILE_NAME } from "./file-token-store.js";
export type {
  FileTokenStoreDirectoryOptions,
  FileTokenStoreLockOptions,
  FileTokenStoreOptions,
  FileTokenStorePathOptions,
} from "./file-token-store.js";
export { loadCustomTokenStore } from "./load-custom-store.js";
export type { LoadCustomTokenStoreOptions } from "./load-custom-store.js";
export { createDefaultTokenStore, defaultTokenStorePath } from "./default-store.js";
export type { DefaultTokenStoreOptions } from "./default-store.js";
