/*
 * Bundle attribution for the cost-calculators plugin: for every chunk of the built app that
 * contains plugin sources, its gzipped size and the share of its source-mapped original bytes per
 * group (plugin, common package, decimal.js, uPlot).
 *
 *   yarn workspace app build && (cd packages/app/dist/static && node ../../../../bench/cost-calculators/bundleShare.js)
 */
const fs = require('fs'),
  zlib = require('zlib');
const groups = {
  common: /cost-calculators-common\//,
  plugin: /plugins\/cost-calculators\/src/,
  decimal: /decimal\.js/,
  uplot: /uplot/,
};
const out = [];
for (const f of fs.readdirSync('.').filter(f => f.endsWith('.js'))) {
  if (!fs.existsSync(f + '.map')) continue;
  const map = JSON.parse(fs.readFileSync(f + '.map', 'utf8'));
  const srcs = map.sources || [];
  const contents = map.sourcesContent || [];
  const hit = {};
  let total = 0;
  srcs.forEach((s, i) => {
    const len = (contents[i] || '').length;
    total += len;
    for (const [g, re] of Object.entries(groups))
      if (re.test(s)) hit[g] = (hit[g] || 0) + len;
  });
  if (Object.keys(hit).length === 0) continue;
  const gz = zlib.gzipSync(fs.readFileSync(f)).length;
  out.push({
    f,
    gzKB: (gz / 1024).toFixed(1),
    share: Object.fromEntries(
      Object.entries(hit).map(([g, l]) => [
        g,
        ((l / total) * 100).toFixed(0) + '%',
      ]),
    ),
  });
}
console.log(JSON.stringify(out, null, 1));
