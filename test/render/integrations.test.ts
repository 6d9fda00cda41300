/**
 * The Integrations sentences about shared storage and shared networks when many services share
 * them: the list is cut at twelve, the rest counted, backup jobs left out, and an external
 * network declared by many stacks cited where it is really declared. (These are worked out from
 * indexes built once per render; the sentences below are the reviewed expectation.)
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/lib/compose/index.ts';
import { configSchema } from '../../src/lib/config/index.ts';
import { renderProject, type Page } from '../../src/lib/render/index.ts';
import { markdownOf } from './helpers.ts';

let root: string;
let pages: Page[];

const apps = Array.from({ length: 14 }, (_, i) => `app${String(i + 1).padStart(2, '0')}`);

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'cw-integrations-'));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  // One stack: fourteen apps mount /srv/media whole, `nested` only a folder below it, and a
  // restic job backs the share up. Every app joins the external `proxy` network.
  write('media/compose.yml', [
    'services:',
    ...apps.flatMap((name) => [`  ${name}:`, '    image: alpine:3.20', '    volumes:', '      - /srv/media:/media', '    networks: [proxy]']),
    '  nested:',
    '    image: alpine:3.20',
    '    volumes:',
    '      - /srv/media/photos:/photos',
    '    networks: [proxy]',
    '  backup:',
    '    image: restic/restic:0.17.3',
    '    volumes:',
    '      - /srv/media:/data:ro',
    '    networks: [proxy]',
    'networks:',
    '  proxy:',
    '    external: true',
    '',
  ].join('\n'));
  // Three more stacks join `proxy` as external; only `edge` declares it as its own.
  for (const stack of ['a', 'b']) write(`${stack}/compose.yml`, ['services:', '  web:', '    image: nginx:1.27', '    networks: [proxy]', 'networks:', '  proxy:', '    external: true', ''].join('\n'));
  write('edge/compose.yml', ['services:', '  traefik:', '    image: traefik:v3.1', '    networks: [proxy]', 'networks:', '  proxy:', '    name: proxy', ''].join('\n'));
  const project = await loadProject(root);
  pages = renderProject(project, { config: configSchema.parse({}) });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const integrations = (service: string): string[] => {
  const page = pages.find((p) => p.stack === 'media' && p.service === service);
  if (!page) throw new Error(`no page for ${service}`);
  const markdown = markdownOf(page);
  const section = markdown.slice(markdown.indexOf('## Integrations'), markdown.indexOf('## Operational Notes'));
  return section.split('\n').filter((line) => line.startsWith('- '));
};

const link = (name: string) => `[${name}](/home/Platform/Stacks/media/${name})`;

describe('Integrations of a share and a network many services use', () => {
  it('lists twelve services sharing a host path, counts the rest, and leaves the backup job out', () => {
    const shares = integrations('app01').filter((line) => line.startsWith('- Shares host path'));
    // Peers: app02..app14 and `nested` (its folder lies inside the share) = 14; twelve are named.
    const named = [...apps.slice(1, 13)].map(link).join(', ');
    expect(shares).toHaveLength(1);
    expect(shares[0]).toContain(`- Shares host path \`/srv/media\` with ${named} and 2 more.`);
    expect(shares[0]).not.toContain('backup');
    // One citation for its own mount, then one per named service (no more than twelve).
    expect(shares[0]?.match(/【F:/g)).toHaveLength(13);
  });

  it('tells a service mounting a folder inside the share who mounts the share whole', () => {
    const nested = integrations('nested').filter((line) => line.startsWith('- Its host path'));
    const named = apps.slice(0, 12).map(link).join(', ');
    expect(nested).toEqual([expect.stringContaining(`- Its host path \`/srv/media/photos\` lies inside \`/srv/media\`, which ${named} and 2 more mount whole.`)]);
  });

  it('names the folder a service mounts inside a backed-up host path, then the path the job covers', () => {
    const backups = integrations('nested').filter((line) => line.includes('backed up by'));
    expect(backups).toEqual([
      '- Host path `/srv/media/photos` (mounted at `/photos`) lies inside `/srv/media`, which is backed up by [backup](/home/Platform/Stacks/media/backup).【F:media/compose.yml†L75-L75】【F:media/compose.yml†L80-L80】',
    ]);
    expect(integrations('app01').filter((line) => line.includes('backed up by'))).toEqual([
      '- Host path `/srv/media` (mounted at `/media`) is backed up by [backup](/home/Platform/Stacks/media/backup).【F:media/compose.yml†L5-L5】【F:media/compose.yml†L80-L80】',
    ]);
  });

  it('cites the stack that declares an external network, not the first stack that joins it', () => {
    const network = integrations('app01').find((line) => line.startsWith('- Shares network'));
    expect(network).toMatch(/^- Shares network `proxy` with .* and \d+ more\./);
    const citations = network?.match(/【F:[^】]+】/g) ?? [];
    expect(citations.at(-1)).toMatch(/^【F:edge\/compose\.yml†L6-L7】$/);
  });
});
