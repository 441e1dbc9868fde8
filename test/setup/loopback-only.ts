/**
 * Tests talk to loopback only: a call that would leave the machine (a wrong host in a test, or a
 * regression that drops the emulator's URL) fails at once with a clear message instead of
 * reaching, or even resolving, a real Zoho host.
 */
const realFetch = globalThis.fetch;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) => {
  const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
  if (!LOOPBACK.test(url.hostname)) {
    return Promise.reject(Object.assign(new TypeError(`test fetch refused: ${url.origin} is not loopback`), { code: "ECONNREFUSED" }));
  }
  return realFetch(input, init);
}) as typeof fetch;
