#!/usr/bin/env bash
# Vendors the front-end assets from npm (`make assets`). The result is committed: building and
# running the service needs neither node nor the network.
#
#   internal/web/static/vendor/dsfr/     DSFR: CSS, JS, the icons its CSS references, a few utility
#                                        icon sets, a few artwork SVGs, woff2 fonts, favicons
#   internal/web/static/vendor/htmx/     htmx.min.js
#   internal/web/browsertest/testdata/   axe.min.js (browser tests only, not embedded in the binary)
#
# Only the files the pages use are kept, with the folder layout of the DSFR package so that the
# relative url() references inside dsfr.min.css keep resolving (static.go serves each vendor
# folder under one content hash for that reason).
set -euo pipefail

DSFR_VERSION=${DSFR_VERSION:-1.15.3}
HTMX_VERSION=${HTMX_VERSION:-2.0.11}
AXE_VERSION=${AXE_VERSION:-4.14.1}

# Utility icon sets (fr-icon-*) the templates may use: each set is one CSS file plus its SVGs.
ICON_SETS=(system user buildings business document map arrows)
# Artwork (fr-artwork pictograms and backgrounds) used by the pages, as paths under dist/artwork.
ARTWORK=(pictograms/map/location-france pictograms/digital/avatar pictograms/environment/human-cooperation pictograms/buildings/companie
	pictograms/system/technical-error background/ovoid)

root=$(cd "$(dirname "$0")/.." && pwd)
web="$root/internal/web"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "assets: npm pack @gouvfr/dsfr@$DSFR_VERSION htmx.org@$HTMX_VERSION axe-core@$AXE_VERSION"
(cd "$work" && npm pack --silent "@gouvfr/dsfr@$DSFR_VERSION" "htmx.org@$HTMX_VERSION" "axe-core@$AXE_VERSION" >/dev/null)
for pkg in dsfr htmx axe; do mkdir -p "$work/$pkg"; done
tar -xzf "$work"/gouvfr-dsfr-*.tgz -C "$work/dsfr"
tar -xzf "$work"/htmx.org-*.tgz -C "$work/htmx"
tar -xzf "$work"/axe-core-*.tgz -C "$work/axe"

src="$work/dsfr/package/dist"
dst="$web/static/vendor/dsfr"
rm -rf "$dst" "$web/static/vendor/htmx"
mkdir -p "$dst/fonts" "$dst/favicon" "$dst/icons" "$web/static/vendor/htmx" "$web/browsertest/testdata"

cp "$src/dsfr.min.css" "$src/dsfr.module.min.js" "$src/dsfr.nomodule.min.js" "$dst/"
cp "$work/dsfr/package/LICENSE.md" "$dst/LICENSE.md"

# Every file dsfr.min.css references (icons of its components, fonts). Fonts: woff2 only; every
# browser DSFR supports reads woff2, the woff fallbacks listed after it are never fetched.
grep -o 'url([^)]*)' "$src/dsfr.min.css" | sed -e 's/^url(//' -e 's/)$//' -e "s/^[\"']//" -e "s/[\"']$//" |
	grep -v '^data:' | grep -v '\.woff$' | sort -u | while read -r ref; do
	mkdir -p "$dst/$(dirname "$ref")"
	cp "$src/$ref" "$dst/$ref"
done

# Utility icon sets, merged into one stylesheet at the folder root (their url(../../../icons/x)
# become url(icons/x)), with every SVG of each set.
: >"$dst/icons.min.css"
for set in "${ICON_SETS[@]}"; do
	sed 's#\.\./\.\./\.\./icons/#icons/#g' "$src/utility/icons/icons-$set/icons-$set.min.css" >>"$dst/icons.min.css"
	echo >>"$dst/icons.min.css"
	mkdir -p "$dst/icons/$set"
	cp "$src/icons/$set/"*.svg "$dst/icons/$set/"
done

for p in "${ARTWORK[@]}"; do
	mkdir -p "$dst/artwork/$(dirname "$p")"
	cp "$src/artwork/$p.svg" "$dst/artwork/$p.svg"
done

cp "$src/favicon/favicon.svg" "$src/favicon/favicon.ico" "$src/favicon/apple-touch-icon.png" \
	"$src/favicon/android-chrome-192x192.png" "$src/favicon/android-chrome-512x512.png" \
	"$src/favicon/manifest.webmanifest" "$dst/favicon/"

cp "$work/htmx/package/dist/htmx.min.js" "$web/static/vendor/htmx/htmx.min.js"
cp "$work/htmx/package/LICENSE" "$web/static/vendor/htmx/LICENSE"
cp "$work/axe/package/axe.min.js" "$web/browsertest/testdata/axe.min.js"

cat >"$web/static/vendor/VERSIONS" <<EOF
@gouvfr/dsfr $DSFR_VERSION
htmx.org $HTMX_VERSION
axe-core $AXE_VERSION (browser tests only: internal/web/browsertest/testdata)
EOF

echo "assets: vendored $(du -sh "$web/static/vendor" | cut -f1) under internal/web/static/vendor," \
	"axe $(du -sh "$web/browsertest/testdata/axe.min.js" | cut -f1)"
