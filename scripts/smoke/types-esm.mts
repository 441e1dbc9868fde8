// Type-checked in a fresh ESM project (module/moduleResolution nodenext, strict, exactOptionalPropertyTypes):
// the packed types resolve for every entry, and they are real types, not `any`.
import { createZohoCRM, type ZohoCRMClient, ZohoApiError } from "zcrm-typed";
import { generateOrgTypes } from "zcrm-typed/codegen";
import { startEmulator } from "zcrm-typed/emulator";
import { TypeOrmTokenStore } from "zcrm-typed/typeorm";

const crm: ZohoCRMClient = createZohoCRM({ accessToken: "t", apiBaseUrl: "http://127.0.0.1:1" });
const result = await crm.GET("/crm/v2/{module}", { params: { path: { module: "Leads" } } });
const id: string | undefined = result.data?.data[0]?.id;
// @ts-expect-error: not an operation of the spec
await crm.GET("/crm/v2/no/such/operation");
// @ts-expect-error: the store needs a type or a dataSource
new TypeOrmTokenStore({});
const emulator: Promise<{ url: string }> = startEmulator({ port: 0, validate: false });
const text: string = generateOrgTypes({ modules: [] } as never);
export { emulator, id, text, ZohoApiError };
