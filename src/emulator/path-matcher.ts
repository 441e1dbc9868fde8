/**
 * Matches request paths against OpenAPI-style templates (`/crm/v2/{module}/{id}`). When several
 * templates match, the most specific wins: at the first segment where they differ, a literal beats
 * a `{param}` (so `/crm/v2/users/{id}` wins over `/crm/v2/{module}/{id}`), as OpenAPI requires.
 */
export interface PathMatch<T> {
  template: string;
  params: Record<string, string>;
  value: T;
}

interface Entry<T> {
  template: string;
  segments: Array<{ literal: string } | { param: string }>;
  value: T;
}

function split(path: string): string[] {
  return path.split("/").filter((s) => s !== "");
}

export class PathMatcher<T> {
  readonly #entries: Entry<T>[] = [];

  add(template: string, value: T): void {
    const segments = split(template).map((s) => {
      const param = /^\{([^}]+)\}$/.exec(s);
      return param ? { param: param[1]! } : { literal: s };
    });
    this.#entries.push({ template, segments, value });
  }

  /** Every matching template, most specific first. */
  matchAll(pathname: string): PathMatch<T>[] {
    let parts: string[];
    try {
      parts = split(pathname).map((p) => decodeURIComponent(p));
    } catch {
      return [];
    }
    const found: Array<Entry<T> & { params: Record<string, string> }> = [];
    for (const entry of this.#entries) {
      if (entry.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      const ok = entry.segments.every((segment, i) => {
        const part = parts[i]!;
        if ("literal" in segment) return segment.literal === part;
        params[segment.param] = part;
        return part !== "";
      });
      if (ok) found.push({ ...entry, params });
    }
    found.sort((a, b) => {
      for (let i = 0; i < a.segments.length; i++) {
        const la = "literal" in a.segments[i]!;
        const lb = "literal" in b.segments[i]!;
        if (la !== lb) return la ? -1 : 1;
      }
      return 0;
    });
    return found.map(({ template, params, value }) => ({ template, params, value }));
  }

  /** The most specific match. */
  match(pathname: string): PathMatch<T> | undefined {
    return this.matchAll(pathname)[0];
  }
}
