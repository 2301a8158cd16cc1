#!/usr/bin/env bash
# Copies the compiled govuk-frontend, Chart.js and axe-core files into static/vendor.
# govuk-frontend's CSS points its fonts and images at /assets/; we serve them under /static/.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
stamp="static/vendor/.built-$(cat package-lock.json 2>/dev/null | sha256sum | cut -c1-16)"
[ -f "$stamp" ] && exit 0
rm -rf static/vendor
mkdir -p static/vendor/govuk static/vendor/chartjs static/vendor/axe
gov=node_modules/govuk-frontend/dist/govuk
cp -r "$gov/assets" static/vendor/govuk/assets
sed 's#url(/assets/#url(/static/vendor/govuk/assets/#g' "$gov/govuk-frontend.min.css" \
  > static/vendor/govuk/govuk-frontend.min.css
cp "$gov/govuk-frontend.min.js" static/vendor/govuk/
cp node_modules/chart.js/dist/chart.umd.min.js static/vendor/chartjs/
cp node_modules/axe-core/axe.min.js static/vendor/axe/
touch "$stamp"
