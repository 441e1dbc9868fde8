/**
 * The `openapi-fetch` middleware that authenticates every call: it sets
 * `Authorization: Zoho-oauthtoken <token>` for the current user (from `withUser` or the default),
 * refreshing proactively through the token manager, and tells the transport which host to use.
 * It edits the request's headers in place: rebuilding a Request per call costs throughput.
 */
import type { Middleware } from "openapi-fetch";
import { Authorizer, type Authorization } from "../auth/authorizer.js";

/** Lets the transport under the middleware know who a request was authorized for. */
export type AuthLedger = WeakMap<Request, Authorization>;

export function createAuthMiddleware(options: { authorizer: Authorizer; ledger: AuthLedger }): Middleware {
  return {
    async onRequest({ request }) {
      const auth = await options.authorizer.authorize();
      request.headers.set("authorization", Authorizer.header(auth));
      options.ledger.set(request, auth);
      return undefined;
    },
  };
}
