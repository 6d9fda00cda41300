/**
 * No secret value in any request body, output line or error message: the API key, values planted in
 * the environment and beside the content, and the literal credentials of the example homelab and
 * the real compose corpora. When the generated pages exist (content/ at the repository root) they
 * are published too.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isSecretName } from '../../src/lib/model/secrets.ts';
import { runPublish } from '../../src/lib/wikijs/run.ts';
import { readContent } from '../../src/lib/wikijs/read-content.ts';
import { PREFIX, header, makePages, removeDir, startHarness, tempDir, writeContentDir } from './helpers.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CORPUS = path.resolve(ROOT, '../shared/corpus');

function walk(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === '.git') continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

/** Values of secret-named variables in env files and compose files (literal ones only). */
function secretValues(files: readonly string[]): Set<string> {
  const values = new Set<string>();
  const line = /^\s*-?\s*["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*[:=]\s*["']?([^"'#\s][^"'#]*?)["']?\s*$/;
  for (const file of files) {
    if (!/(\.env|env\.sample|example\.env|\.ya?ml)$|\.env\./.test(file)) continue;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const l of text.split('\n')) {
      const m = line.exec(l);
      if (!m || !isSecretName(m[1]!)) continue;
      const value = m[2]!.trim();
      // Distinctive literals only: no interpolation, no placeholders, not an ordinary word.
      if (value.length < 8 || value.includes('${') || /change.?me|^your|^<|^\*+$|example/i.test(value)) continue;
      if (/^[a-z][a-z_-]*,?$/.test(value) || value.startsWith('/')) continue;
      values.add(value);
    }
  }
  return values;
}

describe('secrets never leave', () => {
  it('no planted or corpus secret value appears in any request body or output', async () => {
    const planted = {
      AUTHENTIK_SECRET_KEY: 'pl4nted-Secret-Key-7f3a9c1e',
      POSTGRES_PASSWORD: 'pl4nted-Pg-Passw0rd-c0ffee',
      CLOUDFLARE_TUNNEL_TOKEN: 'pl4nted-CF-Tunnel-eyJhbGciOi',
    };
    const corpus = secretValues([...walk(CORPUS), ...walk(path.join(ROOT, 'examples'))]);
    expect(corpus.size).toBeGreaterThan(5);
    const h = await startHarness();
    const dir = await tempDir('secrets');
    try {
      // Pages that name the secret variables, as the renderer does, beside an .env holding values.
      const pages = makePages(8).map((p, i) =>
        i === 0
          ? { ...p, content: `${p.content}\n| Variable | Purpose |\n| --- | --- |\n| \`AUTHENTIK_SECRET_KEY\` | Signing key. |\n| \`POSTGRES_PASSWORD\` | Database password. |\n` }
          : p,
      );
      await writeContentDir(path.join(dir, 'content'), pages, 'comment');
      await writeFile(path.join(dir, '.env'), Object.entries(planted).map(([k, v]) => `${k}=${v}`).join('\n'));
      await writeFile(path.join(dir, 'content', '.env'), Object.entries(planted).map(([k, v]) => `${k}=${v}`).join('\n'));

      const out: string[] = [];
      const env = { ...process.env, ...planted, WIKIJS_TOKEN: h.token };
      const io = { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => out.push(t), isTTY: true }, env, cwd: dir, backoffMs: 5, timeoutMs: 1000 };
      h.server.inject({ kind: 'status', status: 500, count: 2, match: 'pages.create' });
      expect(await runPublish({ url: h.server.url, prefix: PREFIX, sourceUrl: 'https://git.example.com/h/{path}#L{start}-L{end}' }, io)).toBe(0);
      expect(await runPublish({ url: h.server.url, prefix: PREFIX, prune: true, diff: true, dryRun: true }, io)).toBe(0);
      expect(await runPublish({ url: h.server.url, prefix: PREFIX }, { ...io, env: { ...env, WIKIJS_TOKEN: 'wrong-but-secret-4242' } })).toBe(2);

      // The real generated pages, when they exist.
      const realContent = path.join(ROOT, 'content');
      let real = 0;
      if (existsSync(realContent)) {
        const realPages = (await readContent(realContent)).map((p) => ({ ...p, header: { ...header(p.header.title), ...p.header } }));
        real = realPages.length;
        if (real > 0) await runPublish({ url: h.server.url, prefix: '' }, { ...io, pages: realPages });
      }

      const bodies = h.server.requests.map((r) => r.body);
      expect(bodies.length).toBeGreaterThan(20 + real);
      const everything = [...bodies, ...out].join('\n');
      const secrets = [h.token, 'wrong-but-secret-4242', ...Object.values(planted), ...corpus];
      const leaked = secrets.filter((s) => everything.includes(s));
      expect(leaked).toEqual([]);
      // The token is sent — in the Authorization header only.
      expect(h.server.requests.filter((r) => r.authorization === `Bearer ${h.token}`).length).toBeGreaterThan(0);
      expect(bodies.some((b) => b.includes('AUTHENTIK_SECRET_KEY'))).toBe(true); // names are fine
    } finally {
      await h.server.close();
      await removeDir(dir);
    }
  });
});
