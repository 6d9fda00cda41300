// Writes a synthetic wiki (pages in the seed's shape) and the compose files they cite, to
// measure the site build at scale:
//
//   node scripts/site-synthetic.ts --stacks 50 --services 20 --out test-results/synthetic
//   COMPOSE_WIKI_CONTENT=test-results/synthetic/content COMPOSE_WIKI_SOURCE=test-results/synthetic/source \
//     COMPOSE_WIKI_OUT_DIR=test-results/synthetic/dist npm run build
//
// The benchmark issue's script measures generate/check/site on synthetic *compose* homelabs; this
// one only feeds the site, so it can be measured before the generator is complete.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    stacks: { type: 'string', default: '50' },
    services: { type: 'string', default: '20' },
    out: { type: 'string', default: 'test-results/synthetic' },
  },
});
const stacks = Number(values.stacks);
const perStack = Number(values.services);
const out = path.resolve(values.out!);
fs.rmSync(out, { recursive: true, force: true });

const header = (title: string, description: string) =>
  `<!--\ntitle: ${title}\ndescription: ${description}\npublished: true\ndate: 2025-10-19T08:57:42.000Z\ntags: synthetic\neditor: markdown\n-->\n\n# ${title}\n`;
const write = (rel: string, text: string) => {
  const file = path.join(out, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
};

const stackRows: string[] = [];
for (let s = 1; s <= stacks; s++) {
  const stack = `stack${String(s).padStart(3, '0')}`;
  const lines = ['# synthetic stack', `name: ${stack}`, '', 'services:'];
  const ranges: { name: string; start: number; end: number }[] = [];
  for (let i = 1; i <= perStack; i++) {
    const name = `${stack}-app${String(i).padStart(2, '0')}`;
    const start = lines.length + 1;
    lines.push(
      `  app${i}:`,
      `    image: ghcr.io/example/app${i}:1.${i}.0`,
      `    container_name: ${name}`,
      '    restart: unless-stopped',
      '    environment:',
      `      APP_DB_HOST: postgres`,
      `      APP_DB_PASSWORD: \${APP${i}_DB_PASSWORD}`,
      '    networks:',
      '      - db_net',
    );
    ranges.push({ name, start, end: lines.length });
    lines.push('');
  }
  lines.push('networks:', '  db_net:', '    external: true');
  write(`source/${stack}/compose.yml`, `${lines.join('\n')}\n`);
  const base = `content/home/Platform/Stacks/${stack}`;
  const rows = ranges.map((r) => `| [${r.name}](${r.name}) | \`ghcr.io/example/app:1\` | 【F:${stack}/compose.yml†L${r.start}-L${r.end}】 |`);
  const graph = ranges.map((r) => `  ${r.name.replace(/-/g, '_')}[${r.name}] --> postgres[(postgres)]`);
  write(
    `${base}/index.md`,
    `${header(`Stack ${s}`, `Synthetic stack ${s}.`)}\n## Topology\n\n\`\`\`mermaid\nflowchart LR\n${graph.join('\n')}\n\`\`\`\n\n## Components\n\n| Container | Image | Source |\n| --- | --- | --- |\n${rows.join('\n')}\n`,
  );
  stackRows.push(`| [Stack ${s}](/home/Platform/Stacks/${stack}) | ${perStack} |`);
  for (const r of ranges) {
    write(
      `${base}/${r.name}.md`,
      `${header(r.name, `Synthetic service ${r.name}.`)}
## Overview
A synthetic application container of stack ${s}. It stores its data in the shared postgres database.【F:${stack}/compose.yml†L${r.start}-L${r.end}】

## Runtime Profile
- **Image:** \`ghcr.io/example/app:1.0.0\`
- **Restart policy:** \`unless-stopped\`
- **Networks:** \`db_net\`
- **Health:** no healthcheck is defined in compose.【F:${stack}/compose.yml†L${r.start}-L${r.start + 1}】

## Configuration & Secrets

| Variable | Purpose |
| --- | --- |
| \`APP_DB_HOST\` | Database host.【F:${stack}/compose.yml†L${r.start + 5}-L${r.start + 5}】 |
| \`APP_DB_PASSWORD\` | Database password.【F:${stack}/compose.yml†L${r.start + 6}-L${r.start + 6}】 |

## Integrations
- Uses postgres on \`db_net\`; see the [stack page](/home/Platform/Stacks/${stack}).

## Operational Notes
- Nothing special.
`,
    );
  }
}
write('content/home/Platform/Stacks/index.md', `${header('Stacks', 'Every stack.')}\n| Stack | Containers |\n| --- | --- |\n${stackRows.join('\n')}\n`);
write('content/home/Platform/index.md', `${header('Platform', 'Synthetic platform.')}\nThe platform has ${stacks} stacks and ${stacks * perStack} containers; see [Stacks](/home/Platform/Stacks).\n`);
console.log(`${stacks} stacks, ${stacks * perStack} services written to ${out}`);
