// Writes every JSON-LD context the pinned npm packages ship to
// node_modules/.stackwise-contexts/<sha256 of the URL>.json, one file per URL,
// so the Python verifier can read them without running JavaScript.
// Run by `make install` right after `npm ci`; manifest.json pins each file's sha256.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const here = __dirname;
const pkg = JSON.parse(fs.readFileSync(path.join(here, 'package.json'), 'utf8'));
const outDir = path.join(here, 'node_modules', '.stackwise-contexts');
fs.mkdirSync(outDir, { recursive: true });

const index = {};
for (const name of Object.keys(pkg.dependencies)) {
  const mod = require(require.resolve(name, { paths: [here] }));
  if (!(mod.contexts instanceof Map)) continue;
  for (const [url, doc] of mod.contexts) {
    if (!/^https?:\/\//.test(url)) continue;
    const file = crypto.createHash('sha256').update(url).digest('hex') + '.json';
    fs.writeFileSync(path.join(outDir, file), JSON.stringify(doc, null, 2) + '\n');
    index[url] = { package: name, file };
  }
}
fs.writeFileSync(path.join(outDir, 'index.json'), JSON.stringify(index, null, 2) + '\n');
console.log(`exported ${Object.keys(index).length} contexts to ${outDir}`);
