/**
 * Property: random mutations of small compose texts (lines deleted, duplicated or re-indented,
 * characters such as tabs, quotes, colons and brackets inserted) never make the loader throw; every
 * diagnostic names its file and, unless it concerns the whole file, a line and column inside it;
 * the neighbouring stack is still documented; no planted secret reaches a message, nor the model
 * from a line the mutations left intact.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/lib/compose/index.ts';
import { CORPUS_ROOT } from '../compose/helpers.ts';

const SEEDS: readonly string[] = [
  `# Identity provider
x-common: &common
  restart: unless-stopped
  environment: &env
    TZ: Europe/London
    AUTHENTIK_SECRET_KEY: CANARY-SECRET-prop-key
services:
  server:
    <<: *common
    image: ghcr.io/goauthentik/server:\${AUTHENTIK_TAG:-2025.8.4}
    command: server
    environment:
      <<: *env
      AUTHENTIK_POSTGRESQL__PASSWORD: \${PG_PASS:?database password required}
      DATABASE_URL: postgres://authentik:CANARY-SECRET-prop-url@db/authentik
    ports:
      - "9000:9000"
      - target: 9443
        published: 9443
    volumes:
      - ./media:/media
      - type: volume
        source: certs
        target: /certs
    depends_on:
      db:
        condition: service_healthy
  worker:
    extends: server
    command: ["worker", "--password", "CANARY-SECRET-prop-cmd"]
    labels:
      - "traefik.enable=true"
      - "com.example.token=CANARY-SECRET-prop-label"
  db:
    image: postgres:16
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U authentik && mysqladmin ping -pCANARY-SECRET-prop-health"]
      interval: 30s
volumes:
  certs:
networks:
  default:
    name: auth_net
`,
  `include:
  - extra.yml
services:
  app:
    image: "app:\${TAG}"
    env_file: [app.env]
    environment:
      - MODE=prod
      - "QUOTED=a 'b' \\"c\\""
    networks: [front, back]
networks:
  front: {}
  back:
    external: true
`,
  readFileSync(path.join(CORPUS_ROOT, 'andronics__homelab-docker-compose/nordvpn/compose.yml'), 'utf8'),
  // The bundled example's richest stacks, when present.
  ...['authentik/compose.yml', 'tools/compose.yml']
    .map((file) => fileURLToPath(new URL(`../../examples/homelab/${file}`, import.meta.url)))
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file, 'utf8')),
];

const INSERTS = ['\t', '"', "'", ':', ': ', '- ', '-', '[', ']', '{', '}', '&a ', '*a', '<<: *a\n', '${', '}', '$', '#', '\n', '\r\n', '  ', '?', '|', '>', '!!str ', '%', '@', '`', '\uFEFF', 'é', '【', ',', '---\n'];

type Mutation =
  | { kind: 'delete' | 'duplicate'; line: number }
  | { kind: 'indent'; line: number; by: number }
  | { kind: 'insert'; at: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('delete' as const, 'duplicate' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('indent' as const), line: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...INSERTS), fc.string({ maxLength: 3 })) }),
);

function mutate(text: string, mutations: readonly Mutation[]): string {
  let out = text;
  for (const m of mutations) {
    const lines = out.split('\n');
    if (m.kind === 'insert') {
      const at = m.at % (out.length + 1);
      out = out.slice(0, at) + m.text + out.slice(at);
      continue;
    }
    const i = m.line % lines.length;
    if (m.kind === 'delete') lines.splice(i, 1);
    else if (m.kind === 'duplicate') lines.splice(i, 0, lines[i] ?? '');
    else if (m.kind === 'indent') {
      const line = lines[i] ?? '';
      lines[i] = m.by >= 0 ? ' '.repeat(m.by) + line : line.slice(Math.min(-m.by, line.length - line.trimStart().length));
    }
    out = lines.join('\n');
  }
  return out;
}

const root = mkdtempSync(path.join(tmpdir(), 'compose-wiki-property-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(path.join(root, 'p'), { recursive: true });
mkdirSync(path.join(root, 'ok'), { recursive: true });
writeFileSync(path.join(root, 'ok/compose.yml'), 'services:\n  fine:\n    image: nginx\n');
writeFileSync(path.join(root, 'p/extra.yml'), 'services:\n  extra:\n    image: busybox\n');
writeFileSync(path.join(root, 'p/app.env'), 'A=1\nAPI_TOKEN=CANARY-SECRET-prop-envfile\n');
writeFileSync(path.join(root, 'p/.env'), 'PG_PASS=CANARY-SECRET-prop-dotenv\nTAG=1\n');

describe('the loader under random mutations', () => {
  it('never throws and places every diagnostic inside its file', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: SEEDS.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 6 }), async (seed, mutations) => {
        const text = mutate(SEEDS[seed] as string, mutations);
        writeFileSync(path.join(root, 'p/compose.yml'), text);
        const project = await loadProject(root);
        expect(project.stacks.find((s) => s.id === 'ok')?.services.map((s) => s.name)).toEqual(['fine']);
        // No planted secret in any message; none in the model from an env file (never mutated) or
        // from a compose line that survived the mutations intact (a mutation may break the context
        // that makes a value secret, e.g. a tab inside "--password").
        expect(JSON.stringify(project.diagnostics)).not.toContain('CANARY');
        const json = JSON.stringify(project);
        expect(json).not.toMatch(/CANARY-SECRET-prop-(dotenv|envfile)/);
        const intact = new Set(text.split(/\r\n|\r|\n/));
        for (const line of (SEEDS[seed] as string).split('\n').filter((l) => l.includes('CANARY') && intact.has(l))) {
          const canary = /CANARY-SECRET-[\w-]+/.exec(line)?.[0] ?? 'CANARY';
          expect(json, `${canary} leaked from the intact line ${JSON.stringify(line)}`).not.toContain(canary);
        }
        const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
        const lineCount = lines.at(-1) === '' ? lines.length - 1 : lines.length;
        for (const d of project.diagnostics) {
          expect(d.file).toMatch(/^(p|ok)\//);
          if (d.line === 0) {
            expect(d.column).toBe(0);
            continue;
          }
          expect(d.column, `${d.code} ${d.line}:${d.column}`).toBeGreaterThan(0);
          if (d.file !== 'p/compose.yml') continue;
          expect(d.line, `${d.code} ${d.line}:${d.column} in a file of ${lineCount} lines`).toBeLessThanOrEqual(Math.max(1, lineCount));
          if (!d.code.startsWith('file-')) {
            expect(d.column, `${d.code} ${d.line}:${d.column}`).toBeLessThanOrEqual((lines[d.line - 1] ?? '').length + 1);
          }
        }
      }),
      // A fixed seed keeps `npm test` reproducible; PROPERTY_SEED and PROPERTY_RUNS explore further.
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 200), seed: Number(process.env.PROPERTY_SEED ?? 20261126) },
    );
  });
});
