/** Citation validation on small repositories (no page generation: fast and exact). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSourceIndex, validatePageCitations, type CitationContext } from '../../src/lib/check/index.ts';
import { loadProject } from '../../src/lib/compose/index.ts';

const COMPOSE = `# A small stack.
name: small

services:
  web:
    image: nginx:1.27
    environment:
      APP_DB_HOST: db
      APP_DB_PORT: "5432"
      APP_MODE: production

  db:
    image: postgres:17
    restart: unless-stopped

  cache:
    image: redis:7
`;

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function setup(files: Record<string, string> = { 'small/compose.yml': COMPOSE }) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cw-cite-'));
  dirs.push(root);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  const project = await loadProject(root);
  const index = await buildSourceIndex(root, project, project.files.map((f) => f.path));
  const web: CitationContext = { file: 'web.md', kind: 'service', stack: 'small', service: 'web' };
  return { index, check: (text: string, context: CitationContext = web) => validatePageCitations(text, context, index) };
}

const c = (start: number, end: number, file = 'small/compose.yml') => `【F:${file}†L${start}-L${end}】`;

describe('citation validation', () => {
  it('accepts exact service, element and whole-stack citations', async () => {
    const { check } = await setup();
    expect(check(`- web ${c(5, 10)}\n- image ${c(6, 6)}\n- the stack ${c(1, 17)}\n- the header ${c(1, 2)}\n- a single line ${c(6, 6).replace('-L6', '')}`)).toEqual([]);
  });

  it('reports an inverted range that also runs past the end, with one suggestion', async () => {
    const { check } = await setup();
    const [error, ...rest] = check(`Note ${c(30, 16)}`);
    expect(rest).toEqual([]);
    expect(error).toMatchObject({ code: 'citation-inverted', page: { file: 'web.md', line: 1, column: 6 }, suggestion: { startLine: 16, endLine: 17 } });
    expect(error?.message).toContain('ends at L17, before L30');
  });

  it('reports L0 as out of range', async () => {
    const { check } = await setup();
    expect(check(`x ${c(0, 2)}`)[0]).toMatchObject({ code: 'citation-out-of-range', suggestion: { startLine: 1, endLine: 2 } });
  });

  it('clips a straddling range to the page service, and names both services', async () => {
    const { check } = await setup();
    const [error] = check(`x ${c(8, 13)}`);
    expect(error).toMatchObject({ code: 'citation-straddles', suggestion: { startLine: 8, endLine: 10 } });
    expect(error?.message).toBe(`${c(8, 13)}: L8-L13 covers web (L5-L10) and runs into db (L12-L14); cite ${c(8, 10)}`);
    // On the db page the db part is kept.
    expect(check(`x ${c(8, 13)}`, { file: 'db.md', kind: 'service', stack: 'small', service: 'db' })[0]?.suggestion).toMatchObject({ startLine: 12, endLine: 13 });
  });

  it('reports a stack range that stops early, but not the header alone', async () => {
    const { check } = await setup();
    const stackPage: CitationContext = { file: 'index.md', kind: 'stack', stack: 'small' };
    expect(check(`x ${c(1, 13)}`, stackPage)[0]).toMatchObject({ code: 'citation-stack-short', suggestion: { startLine: 1, endLine: 17 } });
    expect(check(`x ${c(1, 4)}`, stackPage)).toEqual([]);
  });

  it('tells where a variable named in a table row or a note is', async () => {
    const { check } = await setup();
    const table = `| Variable | Purpose | Source |\n| --- | --- | --- |\n| \`APP_DB_HOST/PORT\` | db | ${c(7, 7)} |\n| \`APP_MODE\` | mode | ${c(10, 10)} |`;
    const errors = check(table);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'citation-moved', page: { line: 3 }, suggestion: { startLine: 8, endLine: 9 } });
    expect(errors[0]?.message).toContain('`APP_DB_HOST/PORT` is now at L8-L9');
    const note = check(`- Set \`APP_MODE\` to debug ${c(6, 6)}; \`APP_DB_HOST\` is fine ${c(8, 8)}`);
    expect(note).toHaveLength(1);
    expect(note[0]).toMatchObject({ code: 'citation-moved', suggestion: { startLine: 10, endLine: 10 } });
  });

  it('on a page that is exactly what generate writes, checks each citation but not what its words name', async () => {
    const { check } = await setup();
    const table = `| Variable | Purpose | Source |\n| --- | --- | --- |\n| \`APP_DB_HOST/PORT\` | db | ${c(7, 7)} |\n| \`APP_MODE\` | mode | ${c(30, 30)} |`;
    const web: CitationContext = { file: 'web.md', kind: 'service', stack: 'small', service: 'web' };
    // Words and citations both come from the model there: only the citation itself can be wrong.
    const generated = check(table, { ...web, expected: table, generatedOnly: true });
    expect(generated.map((e) => e.code)).toEqual(['citation-out-of-range']);
    // The same text with a person's words in the page (or not what generate writes) is read in full.
    expect(check(table, { ...web, expected: table }).map((e) => e.code)).toEqual(['citation-moved', 'citation-out-of-range']);
    expect(check(table, { ...web, expected: `${table}\n`, generatedOnly: true }).map((e) => e.code)).toEqual(['citation-moved', 'citation-out-of-range']);
  });

  it('flags blank lines, missing files and paths outside the repository; skips code', async () => {
    const { check } = await setup();
    const errors = check(`a ${c(11, 11)} b ${c(1, 1, 'small/other.yml')} c ${c(1, 1, '../etc/passwd')}\n\`\`\`\n${c(9, 1)}\n\`\`\``);
    expect(errors.map((e) => e.code)).toEqual(['citation-empty', 'citation-file-missing', 'citation-file-missing']);
  });

  it('knows the services of override files and not YAML anchors', async () => {
    const { check } = await setup({
      'app/compose.yml': 'x-common: &common\n  restart: always\n  init: true\n\nservices:\n  a:\n    <<: *common\n    image: a:1\n  b:\n    <<: *common\n    image: b:1\n',
      'app/compose.override.yml': 'services:\n  a:\n    ports:\n      - "80:80"\n  b:\n    ports:\n      - "81:81"\n',
    });
    const page: CitationContext = { file: 'a.md', kind: 'service', stack: 'app', service: 'a' };
    // The anchor is shared by both services: citing it with service a is not a straddle.
    expect(check(`x ${c(1, 8, 'app/compose.yml')}`, page)).toEqual([]);
    expect(check(`x ${c(2, 4, 'app/compose.override.yml')}`, page)).toEqual([]);
    expect(check(`x ${c(3, 6, 'app/compose.override.yml')}`, page)[0]).toMatchObject({ code: 'citation-straddles', suggestion: { file: 'app/compose.override.yml', startLine: 3, endLine: 4 } });
  });
});
