// Extracts README.md's TypeScript blocks into files a fresh project type-checks (and runs the
// Quickstart): readme-<n>.mts for every ```ts block, quickstart.mts for the one marked
// <!-- readme-check: quickstart -->. Blocks are modules; `crm` is the only name they may assume.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const [readme, outDir] = process.argv.slice(2);
const lines = readFileSync(readme, "utf8").split("\n");
let count = 0;
for (let i = 0; i < lines.length; i++) {
  const open = /^(\s*)```(ts|typescript)\s*$/.exec(lines[i]);
  if (!open) continue;
  const indent = open[1].length;
  const body = [];
  for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]); i++) body.push(lines[i].slice(Math.min(indent, lines[i].search(/\S|$/))));
  const marker = lines.slice(Math.max(0, i - body.length - 3), i - body.length).join("\n");
  const text = `${body.join("\n")}\nexport {};\n`;
  count += 1;
  writeFileSync(path.join(outDir, `readme-${count}.mts`), text);
  if (marker.includes("readme-check: quickstart")) writeFileSync(path.join(outDir, "quickstart.mts"), text);
}
writeFileSync(
  path.join(outDir, "readme-globals.d.ts"),
  'import type { ZohoCRMClient } from "zcrm-typed";\ndeclare global {\n  /** A client, as the sections after the Quickstart assume. */\n  const crm: ZohoCRMClient;\n}\nexport {};\n',
);
console.log(`${count} TypeScript blocks extracted from ${readme}`);
