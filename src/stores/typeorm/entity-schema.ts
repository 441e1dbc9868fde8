/**
 * The token table's definition: a TypeORM `EntitySchema` for applications' own DataSources and
 * migrations, and the `CREATE TABLE` column list the store uses for `ensureTable()`.
 */
import { EntitySchema } from "typeorm";
import { PYTHON_SDK_TABLE, identifier, resolveColumns, type ResolvedColumns, type TypeOrmTokenStoreColumns } from "./options.js";

/** The row shape of {@link createTokenEntitySchema}. */
export interface TokenRow {
  user: string;
  accessToken: string | null;
  refreshToken: string | null;
  /** bigint: drivers return it as a string. */
  expiresAt: string | number | null;
  apiDomain?: string | null;
}

/**
 * A TypeORM `EntitySchema` (no decorators) describing the token table, for applications that want
 * it in their own DataSource's `entities` / migrations. The store itself does not need it to be
 * registered: it queries the table by name, so it also works with tables TypeORM does not know.
 */
export function createTokenEntitySchema(
  options: { tableName?: string; schema?: string; database?: string; columns?: TypeOrmTokenStoreColumns } = {},
): EntitySchema<TokenRow> {
  const tableName = identifier(options.tableName ?? PYTHON_SDK_TABLE.tableName, "tableName");
  const columns = resolveColumns(options.columns);
  return new EntitySchema<TokenRow>({
    name: `ZcrmOAuthToken_${[options.database, options.schema, tableName].filter(Boolean).join("_")}`,
    tableName,
    ...(options.schema === undefined ? {} : { schema: identifier(options.schema, "schema") }),
    ...(options.database === undefined ? {} : { database: identifier(options.database, "database") }),
    columns: {
      user: { name: columns.user, type: "varchar", length: 100, primary: true },
      accessToken: { name: columns.accessToken, type: "varchar", length: 100, nullable: true },
      refreshToken: { name: columns.refreshToken, type: "varchar", length: 100, nullable: true },
      expiresAt: { name: columns.expiresAt, type: "bigint", nullable: true },
      ...(columns.apiDomain === undefined ? {} : { apiDomain: { name: columns.apiDomain, type: "varchar" as const, length: 255, nullable: true } }),
    },
  });
}

/**
 * The Python SDK's column definitions (`varchar(100)` ×3, `bigint`) plus a primary key on the user
 * column, and `varchar(255)` for the optional API-domain column. `q` escapes identifiers.
 */
export function tableDefinitions(columns: ResolvedColumns, q: (name: string) => string): string[] {
  return [
    `${q(columns.user)} varchar(100) NOT NULL`,
    `${q(columns.accessToken)} varchar(100)`,
    `${q(columns.refreshToken)} varchar(100)`,
    `${q(columns.expiresAt)} bigint`,
    ...(columns.apiDomain === undefined ? [] : [`${q(columns.apiDomain)} varchar(255)`]),
    `PRIMARY KEY (${q(columns.user)})`,
  ];
}
