/**
 * The `openapi-fetch` middleware that authenticates every call: it sets
 * `Authorization: Zoho-oauthtoken <token>` for the current user (from `withUser` or the default),
 * refreshing proactively through the token manager, and points the request at the right host.
 */
import type { Middleware } from "openapi-fetch";
import type { Authorizer, Authorization } from "../auth/authorizer.js";

/** Lets the transport under the middleware know who a request was authorized for. */
export type AuthLedger = WeakMap<Request, Authorization>;

export function createAuthMiddleware(options: { authorizer: Authorizer; ledger: AuthLedger }): Middleware {
  return {
    async onRequest({ request }) {
      const { request: authorized, auth } = await options.authorizer.authorize(request);
      options.ledger.set(authorized, auth);
      return authorized;
    },
  };
}
