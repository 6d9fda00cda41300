// Checks the built site (COMPOSE_WIKI_OUT_DIR, default dist/) for broken internal links.
// Exit codes: 0 none, 1 broken links found, 2 no site to check.
import fs from 'node:fs';
import { checkLinks } from '../src/site/check-links.ts';
import { siteSettings } from '../src/site/config.ts';

const settings = siteSettings();
if (!fs.existsSync(settings.outDir)) {
  console.error(`No site at ${settings.outDir}: run \`npm run build\` first.`);
  process.exit(2);
}
const result = checkLinks(settings.outDir, settings.base);
for (const b of result.broken) console.error(`broken link on ${b.page}: ${b.href} (${b.reason})`);
console.log(`${result.pages} pages, ${result.links} internal links, ${result.broken.length} broken`);
process.exit(result.broken.length ? 1 : 0);
