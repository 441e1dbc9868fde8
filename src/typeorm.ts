// The `zcrm-typed/typeorm` entry: the TypeORM-backed token store (MySQL/MariaDB, PostgreSQL, SQLite).
export {
  TypeOrmTokenStore,
  createTokenEntitySchema,
  PYTHON_SDK_TABLE,
} from "./stores/typeorm-token-store.js";
export type {
  TokenRow,
  TypeOrmTokenStoreColumns,
  TypeOrmTokenStoreConnectionOptions,
  TypeOrmTokenStoreDataSourceOptions,
  TypeOrmTokenStoreOptions,
  TypeOrmTokenStoreTableOptions,
  TypeOrmTokenStoreType,
} from "./stores/typeorm-token-store.js";
export type { LockedRefresh, TokenRecord, TokenStore } from "./stores/token-store.js";
