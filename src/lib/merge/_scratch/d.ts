import { readFileSync } from 'node:fs';
import { parsePageFile, serializePageFile } from '../page-file.ts';
const seed = readFileSync('../shared/seed/authentik-server.md', 'utf8');
const p = parsePageFile(seed);
console.log(p.header, p.form, JSON.stringify(p.body.slice(0, 40)));
const fm = `---\ntitle: authentik-server\ndescription: Primary: thing\npublished: true\ndate: 2026-11-26T22:06:37.203Z\ntags: homelab, authentik\neditor: markdown\ndateCreated: 2026-11-26T22:06:37.203Z\n---\n\n# authentik-server\n`;
console.log(parsePageFile(fm));
const h = { title: 'a: b --> c', description: "it's #1 --!> x\nnext", published: true, date: '2026-11-26T22:06:37.203Z', tags: ['homelab', 'Auth: x'], editor: 'markdown' as const, dateCreated: '2026-01-01T00:00:00.000Z' };
for (const f of ['comment', 'frontmatter'] as const) { const t = serializePageFile(h, '\n\n# x\n\n\n', f, { custom: 'v', arr: ['a', 'b'] }); console.log(t); console.log(parsePageFile(t)); }
