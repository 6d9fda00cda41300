/**
 * Hand-written text survives many random regenerate/edit cycles: a person keeps adding notes,
 * paragraphs, sections and tags to a page while the compose file keeps changing (tag bumps,
 * variables added and removed, restart policy toggled). After every `generate` each derived fact
 * is current and every word the person wrote is still there. CYCLES sets the count (a few dozen
 * in `npm test`, 100 in `npm run test:stress`); the sequence comes from fast-check.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { configSchema, type Config } from '../../src/lib/config/index.ts';
import { parsePageFile } from '../../src/lib/merge/index.ts';
import { generateProject } from '../../src/lib/pipeline/index.ts';

const CYCLES = Number(process.env.CYCLES ?? 30);
const EXAMPLE = fileURLToPath(new URL('../../examples/homelab/', import.meta.url));
const PAGE = 'home/Platform/Stacks/authentik/authentik-server.md';

type Op =
  | { kind: 'note' | 'overview' | 'section' | 'tag'; word: string }
  | { kind: 'bump'; version: number }
  | { kind: 'add-var' }
  | { kind: 'remove-var' }
  | { kind: 'restart' };

const word = fc.stringMatching(/^[a-z]{3,10}$/);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('note', 'overview', 'section', 'tag'), word }) as fc.Arbitrary<Op>,
  fc.record({ kind: fc.constant('bump'), version: fc.integer({ min: 1, max: 999 }) }) as fc.Arbitrary<Op>,
  fc.constantFrom<Op>({ kind: 'add-var' }, { kind: 'remove-var' }, { kind: 'restart' }),
);

const work = mkdtempSync(path.join(os.tmpdir(), 'cw-cycles-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

it(`keeps every hand-written word through ${CYCLES} regenerate/edit cycles`, { timeout: 300_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: CYCLES, maxLength: CYCLES }), async (ops) => {
      const source = path.join(work, 'homelab');
      const content = path.join(work, 'content');
      rmSync(source, { recursive: true, force: true });
      rmSync(content, { recursive: true, force: true });
      cpSync(path.join(EXAMPLE, 'authentik'), path.join(source, 'authentik'), { recursive: true });
      const compose = path.join(source, 'authentik/compose.yml');
      const config: Config = { ...configSchema.parse({}), source, content };
      const pageFile = path.join(content, PAGE);
      let clock = 1767225600;
      const generate = () => generateProject(config, { SOURCE_DATE_EPOCH: String((clock += 60)) });
      await generate();

      const written: string[] = []; // every token a person wrote
      const tags: string[] = [];
      const vars: string[] = [];
      let nextVar = 0;
      let tag = '2025.8.4';
      let restart = true;
      for (const [index, step] of ops.entries()) {
        let page = readFileSync(pageFile, 'utf8');
        let yaml = readFileSync(compose, 'utf8');
        const token = 'word' in step ? `hw${index}${step.word}` : '';
        switch (step.kind) {
          case 'note':
            page = page.replace('## Operational Notes\n', `## Operational Notes\n\n- Person ${token} wrote this note.\n`);
            break;
          case 'overview':
            page = page.replace('\n## Runtime Profile', `\nPerson ${token} added this paragraph after the lead.\n\n## Runtime Profile`);
            break;
          case 'section':
            page = `${page.trimEnd()}\n\n## Notes ${token}\n\nPerson ${token} keeps a section here.\n`;
            break;
          case 'tag':
            page = page.replace(/^tags: (.*)$/m, `tags: $1, ${token}`);
            tags.push(token);
            break;
          case 'bump':
            yaml = yaml.replace(`server:${tag}\n    container_name: authentik-server`, `server:2025.${step.version}.0\n    container_name: authentik-server`);
            tag = `2025.${step.version}.0`;
            break;
          case 'add-var':
            vars.push(`CYCLE${nextVar}_SETTING`);
            yaml = yaml.replace('      AUTHENTIK_HOST: ', `      CYCLE${nextVar++}_SETTING: "on"\n      AUTHENTIK_HOST: `);
            break;
          case 'remove-var': {
            const gone = vars.shift();
            if (gone) yaml = yaml.replace(`      ${gone}: "on"\n`, '');
            break;
          }
          case 'restart':
            yaml = restart ? yaml.replace('    command: server\n    restart: unless-stopped\n', '    command: server\n') : yaml.replace('    command: server\n', '    command: server\n    restart: unless-stopped\n');
            restart = !restart;
            break;
        }
        if (token && step.kind !== 'tag') written.push(token);
        writeFileSync(pageFile, page);
        writeFileSync(compose, yaml);
        await generate();

        const after = readFileSync(pageFile, 'utf8');
        const { header, body } = parsePageFile(after);
        for (const t of written) expect(body, `cycle ${index}: ${t} lost`).toContain(t);
        for (const t of tags) expect(header.tags, `cycle ${index}: tag ${t} lost`).toContain(t);
        expect(body).toContain(`\`ghcr.io/goauthentik/server:${tag}\``);
        for (const v of vars) expect(body).toContain(`\`${v}\``);
        expect(body.includes('**Restart policy:** `unless-stopped`')).toBe(restart);
        if (index % 10 === 9) expect((await generate()).written, `cycle ${index}: a second generate changed pages`).toEqual([]);
      }
    }),
    { numRuns: Number(process.env.CYCLE_RUNS ?? 1), seed: Number(process.env.PROPERTY_SEED ?? 4242), endOnFailure: true },
  );
});
