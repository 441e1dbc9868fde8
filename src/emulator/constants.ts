/**
 * Fixed values of the emulator: the one registered OAuth client, Zoho's limits, and the default
 * user. Constants only; all mutable state lives on an emulator instance.
 */

/** The client id of the emulator's only registered OAuth client (override with `clientId`). */
export const EMULATOR_CLIENT_ID = "1000.EMULATORCLIENT";
/** The client secret of that client (override with `clientSecret`). Not a real secret. */
export const EMULATOR_CLIENT_SECRET = "emulator-client-secret-0000000000000000";
/** Email of the seeded administrator, the user behind grant codes minted without `user`. */
export const DEFAULT_USER_EMAIL = "patricia.boyle@zylker.example";

/** Zoho's caps: records per write call and per read page. */
export const MAX_WRITE_RECORDS = 100;
export const MAX_PAGE_SIZE = 200;
/** COQL: default and maximum LIMIT. */
export const COQL_DEFAULT_LIMIT = 200;
export const COQL_MAX_LIMIT = 2000;

/** A refresh token may mint at most this many access tokens per rolling window. */
export const REFRESH_LIMIT = 10;
export const REFRESH_WINDOW_MS = 10 * 60 * 1000;
/** At most this many live access tokens per refresh token; minting one more evicts the oldest. */
export const MAX_ACTIVE_ACCESS_TOKENS = 15;

export const ACCESS_DENIED_DESCRIPTION = "You have made too many requests continuously. Please try again after some time.";
