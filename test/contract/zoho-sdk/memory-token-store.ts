/**
 * A token store for Zoho's SDK that keeps tokens in memory, implementing the SDK's `TokenStore`
 * interface (models/authenticator/store/token_store.ts): nothing is written next to the package,
 * and the suite can see what Zoho's own OAuth code saved (grant exchange, then refresh).
 */
import type { ZohoValue } from "./load.js";

export interface SavedToken {
  id: string | null;
  user: string;
  accessToken: string | null;
  refreshToken: string | null;
  expiresIn: string;
}

export class MemoryZohoTokenStore {
  readonly #tokens = new Map<string, SavedToken>();
  /** Every save, in order: what the SDK's OAuth code produced. */
  readonly saves: SavedToken[] = [];

  #fill(token: ZohoValue, saved: SavedToken | undefined): ZohoValue {
    if (!saved) return undefined;
    token.setAccessToken(saved.accessToken);
    token.setRefreshToken(saved.refreshToken);
    token.setExpiresIn(saved.expiresIn);
    token.setId(saved.id);
    token.setUserMail(saved.user);
    return token;
  }

  async getToken(user: ZohoValue, token: ZohoValue): Promise<ZohoValue> {
    return this.#fill(token, this.#tokens.get(String(user.getName())));
  }

  async getTokenById(id: string, token: ZohoValue): Promise<ZohoValue> {
    return this.#fill(
      token,
      [...this.#tokens.values()].find((t) => t.id === id),
    );
  }

  async saveToken(user: ZohoValue, token: ZohoValue): Promise<void> {
    const saved: SavedToken = {
      id: token.getId(),
      user: String(user.getName()),
      accessToken: token.getAccessToken(),
      refreshToken: token.getRefreshToken(),
      expiresIn: String(token.getExpiresIn()),
    };
    this.#tokens.set(saved.user, saved);
    this.saves.push(saved);
  }

  async deleteToken(token: ZohoValue): Promise<void> {
    for (const [user, saved] of this.#tokens) if (saved.id === token.getId()) this.#tokens.delete(user);
  }

  async getTokens(): Promise<ZohoValue[]> {
    return [...this.#tokens.values()];
  }

  deleteTokens(): void {
    this.#tokens.clear();
  }
}
