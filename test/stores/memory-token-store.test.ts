import { describe, expect, it } from "vitest";
import { MemoryTokenStore } from "../../src/stores/memory-token-store.js";
import type { TokenRecord } from "../../src/stores/token-store.js";
import { ZohoConfigError } from "../../src/errors.js";

const rec = (user: string, i = 1): TokenRecord => ({ user, accessToken: `a${i}`, refreshToken: `r${i}`, expiresAt: 1000 + i });

describe("MemoryTokenStore", () => {
  it("round-trips and deletes", async () => {
    const store = new MemoryTokenStore();
    expect(await store.get("a@example.com")).toBeUndefined();
    await store.save({ ...rec("a@example.com"), apiDomain: "https://www.zohoapis.com" });
    expect(await store.get("a@example.com")).toEqual({ ...rec("a@example.com"), apiDomain: "https://www.zohoapis.com" });
    await store.save(rec("a@example.com", 2));
    expect(await store.get("a@example.com")).toEqual(rec("a@example.com", 2));
    await store.delete("a@example.com");
    expect(await store.get("a@example.com")).toBeUndefined();
  });

  it("stores copies: callers cannot mutate stored state", async () => {
    const seed = rec("s@example.com");
    const store = new MemoryTokenStore([seed]);
    seed.accessToken = "mutated";
    const got = await store.get("s@example.com");
    got!.accessToken = "mutated too";
    const saved = rec("t@example.com");
    await store.save(saved);
    saved.refreshToken = "mutated";
    expect(await store.get("s@example.com")).toEqual(rec("s@example.com"));
    expect(await store.get("t@example.com")).toEqual(rec("t@example.com"));
    await store.withLock("s@example.com", async (current) => {
      current!.accessToken = "mutated in fn";
      return undefined;
    });
    expect(await store.get("s@example.com")).toEqual(rec("s@example.com"));
  });

  it("keeps state per instance", async () => {
    const a = new MemoryTokenStore();
    const b = new MemoryTokenStore();
    await a.save(rec("x@example.com"));
    expect(await b.get("x@example.com")).toBeUndefined();
  });

  it("withLock: 200 concurrent calls lose no update; errors propagate and release", async () => {
    const store = new MemoryTokenStore();
    const user = "c@example.com";
    await Promise.all(
      Array.from({ length: 200 }, () =>
        store.withLock(user, async (current) => {
          const n = current ? Number(current.accessToken) : 0;
          await new Promise((r) => setTimeout(r, 0));
          return { ...rec(user), accessToken: String(n + 1) };
        }),
      ),
    );
    expect((await store.get(user))?.accessToken).toBe("200");
    await expect(store.withLock(user, async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect((await store.withLock(user, async () => undefined))?.accessToken).toBe("200");
    expect(await store.withLock(user, async () => store.withLock(user, async () => rec(user, 5)))).toEqual(rec(user, 5));
  });

  it("rejects invalid records and users", async () => {
    const store = new MemoryTokenStore();
    await expect(store.save({ user: "", accessToken: "a", refreshToken: "r", expiresAt: 1 })).rejects.toBeInstanceOf(ZohoConfigError);
    await expect(store.save({ user: "u", accessToken: "a", refreshToken: "r", expiresAt: Number.NaN })).rejects.toMatchObject({
      code: "TOKEN_RECORD_INVALID",
      keys: ["expiresAt"],
    });
    await expect(store.withLock("u@example.com", async () => rec("other@example.com"))).rejects.toMatchObject({ code: "TOKEN_RECORD_INVALID" });
  });
});
