/**
 * Installed size of the runtime dependency tree: the folders `npm ls --omit=dev --all --parseable`
 * lists (nested folders counted once), measured with `du`. Optional peers (mysql2, pg) are not
 * runtime dependencies and are not counted.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface InstallSize {
  packages: number;
  bytes: number;
  /** The biggest top-level runtime dependencies, with everything nested under them. */
  largest: Array<{ name: string; bytes: number }>;
}

function du(dirs: string[]): Map<string, number> {
  const sizes = new Map<string, number>();
  for (let i = 0; i < dirs.length; i += 200) {
    const out = execFileSync("du", ["-sb", ...dirs.slice(i, i + 200)], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
    for (const line of out.trim().split("\n")) {
      const [size, dir] = line.split("\t");
      sizes.set(dir!, Number(size));
    }
  }
  return sizes;
}

export function measureInstallSize(): InstallSize {
  let out: string;
  try {
    out = execFileSync("npm", ["ls", "--omit=dev", "--all", "--parseable"], {
      cwd: ROOT,
      encoding: "utf8",
      maxBuffer: 16 * 1024 * 1024,
      stdio: ["ignore", "pipe", "ignore"],
    });
  } catch (error) {
    // npm ls exits non-zero on extraneous/missing optional peers but still prints the tree.
    out = String((error as { stdout?: unknown }).stdout ?? "");
  }
  const root = path.resolve(ROOT);
  const dirs = [
    ...new Set(
      out
        .trim()
        .split("\n")
        .map((p) => path.resolve(p.trim()))
        .filter((p) => p !== root && p !== ""),
    ),
  ].sort();
  // A package folder contains its own nested node_modules: count only the outermost folders.
  const outer = dirs.filter((d) => !dirs.some((o) => o !== d && d.startsWith(o + path.sep)));
  const sizes = du(outer);
  const bytes = [...sizes.values()].reduce((a, b) => a + b, 0);
  const topLevel = outer.filter(
    (d) => path.dirname(d) === path.join(root, "node_modules") || path.dirname(path.dirname(d)) === path.join(root, "node_modules"),
  );
  const largest = topLevel
    .map((d) => ({ name: path.relative(path.join(root, "node_modules"), d), bytes: sizes.get(d) ?? 0 }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 6);
  return { packages: dirs.length, bytes, largest };
}
