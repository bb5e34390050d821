#!/usr/bin/env bash
# Copy the pinned front-end files into crates/web/assets/, where build.rs
# embeds them into the binary. Run by hand after changing package.json:
#
#   tools/assets/vendor.sh
#
# then commit package-lock.json and everything under crates/web/assets/.
# `cargo build` never runs this, so building Harbour needs no node.
#
# What ends up where (and at which URL, see crates/web/build.rs):
#   govuk/govuk-frontend.min.css  /static/vendor/govuk/govuk-frontend.min.css
#   govuk/govuk-frontend.min.js   /static/vendor/govuk/govuk-frontend.min.js  (ES module)
#   govuk-assets/**               /assets/**   (the CSS uses absolute /assets/ URLs)
#   htmx/htmx.min.js              /static/vendor/htmx/htmx.min.js
#
# The GDS Transport font is licensed for gov.uk only and Harbour is not on
# gov.uk, so the fonts are not copied and the CSS is rewritten: every
# @font-face rule and the font's copyright comment are removed and the stack
# "GDS Transport,arial,sans-serif" becomes "arial,sans-serif". No page ever
# requests a font. Source map comments are dropped too (we ship no maps).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/crates/web/assets"

cd "$here"
npm ci --ignore-scripts --no-audit --no-fund

gf="$here/node_modules/govuk-frontend/dist/govuk"
hx="$here/node_modules/htmx.org/dist"

want_gf=$(node -p 'require("./package.json").dependencies["govuk-frontend"]')
want_hx=$(node -p 'require("./package.json").dependencies["htmx.org"]')
have_gf=$(node -p 'require("./node_modules/govuk-frontend/package.json").version')
have_hx=$(node -p 'require("./node_modules/htmx.org/package.json").version')
if [[ "$want_gf" != "$have_gf" || "$want_hx" != "$have_hx" ]]; then
  echo "vendor.sh: installed govuk-frontend $have_gf / htmx.org $have_hx," \
       "package.json pins $want_gf / $want_hx" >&2
  exit 1
fi

# Start from a clean slate so files removed upstream disappear here too.
rm -rf "$out/govuk" "$out/govuk-assets" "$out/htmx"
mkdir -p "$out/govuk" "$out/govuk-assets" "$out/htmx"

# Images, manifest.json and anything else under dist/govuk/assets/ except fonts.
(cd "$gf/assets" && find . -type f ! -path './fonts/*' -print0 \
  | while IFS= read -r -d '' f; do
      mkdir -p "$out/govuk-assets/$(dirname "$f")"
      cp "$f" "$out/govuk-assets/$f"
    done)

cp "$hx/htmx.min.js" "$out/htmx/htmx.min.js"
cp "$gf/govuk-frontend.min.js" "$out/govuk/govuk-frontend.min.js"
cp "$gf/govuk-frontend.min.css" "$out/govuk/govuk-frontend.min.css"

# Post-process with node (already required for npm ci); fail loudly if the
# upstream CSS changes shape so that a rule no longer matches.
node - "$out" <<'JS'
const fs = require("fs");
const path = require("path");
const out = process.argv[2];
const fail = (msg) => { console.error(`vendor.sh: ${msg}`); process.exit(1); };
const dropSourceMap = (s) => s.replace(/\n?\/[*/]# sourceMappingURL=[^\n*]*(\*\/)?\s*$/, "\n");

const cssPath = path.join(out, "govuk/govuk-frontend.min.css");
let css = fs.readFileSync(cssPath, "utf8");
const stack = "font-family:GDS Transport,arial,sans-serif";
const stacks = css.split(stack).length - 1;
if (stacks === 0) fail(`font stack "${stack}" not found in the CSS; check the new release`);
const faces = (css.match(/@font-face\{[^}]*\}/g) || []).length;
if (faces === 0) fail("no @font-face rules found in the CSS; check the new release");
css = css
  .replace(/\/\*![^*]*Margaret Calvert[^*]*\*\//g, "")
  .replace(/@font-face\{[^}]*\}/g, "")
  .split(stack).join("font-family:arial,sans-serif");
css = dropSourceMap(css);
for (const bad of ["GDS Transport", "@font-face", "/assets/fonts/", "woff"]) {
  if (css.includes(bad)) fail(`"${bad}" is still in the CSS after post-processing`);
}
fs.writeFileSync(cssPath, css);
console.log(`css: removed ${faces} @font-face rules, replaced ${stacks} font stacks`);

for (const rel of ["govuk/govuk-frontend.min.js", "htmx/htmx.min.js"]) {
  const p = path.join(out, rel);
  fs.writeFileSync(p, dropSourceMap(fs.readFileSync(p, "utf8")));
}
JS


find "$out/govuk" "$out/govuk-assets" "$out/htmx" -type f | sort | sed "s|^$root/||"
echo "vendored govuk-frontend $have_gf and htmx.org $have_hx into ${out#"$root"/}"
