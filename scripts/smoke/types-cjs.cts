// Type-checked in a fresh CommonJS project (module nodenext, a .cts file): require()-style imports of
// every entry resolve to the packed types (TypeScript >= 5.8 understands require() of ESM).
import { createZohoCRM, type ZohoCRMClient } from "zcrm-typed";
import { generateOrgTypes } from "zcrm-typed/codegen";
import { startEmulator } from "zcrm-typed/emulator";
import { TypeOrmTokenStore } from "zcrm-typed/typeorm";

const crm: ZohoCRMClient = createZohoCRM({ accessToken: "t", apiBaseUrl: "http://127.0.0.1:1" });
// @ts-expect-error: not an operation of the spec
void crm.GET("/crm/v2/no/such/operation");
export const parts = [startEmulator, TypeOrmTokenStore, generateOrgTypes];
