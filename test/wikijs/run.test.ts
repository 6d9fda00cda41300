/**
 * `runPublish` (what `compose-wiki publish` runs): settings and token handling, output, exit codes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runPublish, type PublishIo } from '../../src/lib/wikijs/run.ts';
import { resolvePublishSettings, resolveToken } from '../../src/lib/wikijs/settings.ts';
import { WikiConfigError } from '../../src/lib/wikijs/errors.ts';
import { PREFIX, makePages, removeDir, startHarness, tempDir, withContent, writeContentDir, type Harness } from './helpers.ts';

interface Captured extends PublishIo {
  out: string[];
  err: string[];
}

function io(cwd: string, env: NodeJS.ProcessEnv, extra: Partial<PublishIo> = {}): Captured {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t), isTTY: false },
    env,
    cwd,
    backoffMs: 5,
    timeoutMs: 1000,
    ...extra,
  };
}

describe('runPublish', () => {
  let h: Harness;
  let dir: string;
  beforeEach(async () => {
    h = await startHarness();
    dir = await tempDir('run');
    await writeContentDir(path.join(dir, 'content'), makePages(12), 'comment');
  });
  afterEach(async () => {
    await h.server.close();
    await removeDir(dir);
  });

  const flags = (extra: Record<string, unknown> = {}) => ({ url: h.server.url, prefix: PREFIX, ...extra });

  it('publishes the content folder, exits 0 and prints a summary; the rerun changes nothing', async () => {
    const first = io(dir, { WIKIJS_TOKEN: h.token });
    expect(await runPublish(flags(), first)).toBe(0);
    expect(first.out.join('')).toContain('12 created, 0 updated, 0 deleted, 0 unchanged, 0 failed.');
    const second = io(dir, { WIKIJS_TOKEN: h.token });
    expect(await runPublish(flags(), second)).toBe(0);
    expect(second.out.join('')).toContain('0 created, 0 updated, 0 deleted, 12 unchanged, 0 failed.');
  });

  it('reads the token from a file named in compose-wiki.yaml, and warns when others can read it', async () => {
    await writeFile(path.join(dir, 'wikijs-token'), `${h.token}\n`);
    await chmod(path.join(dir, 'wikijs-token'), 0o644);
    await writeFile(path.join(dir, 'compose-wiki.yaml'), `wikijs:\n  url: ${h.server.url}\n  tokenFile: wikijs-token\n  prefix: ${PREFIX}\n`);
    const run = io(dir, {});
    expect(await runPublish({}, run)).toBe(0);
    expect(run.err.join('')).toContain('readable by other users');
    expect(h.server.pages()).toHaveLength(12);
  });

  it('no token: exit 2 naming WIKIJS_TOKEN; a wrong token: exit 2, nothing written, token never printed', async () => {
    const none = io(dir, {});
    expect(await runPublish(flags(), none)).toBe(2);
    expect(none.err.join('')).toContain('WIKIJS_TOKEN');
    const wrong = `${h.token}x`;
    const bad = io(dir, { WIKIJS_TOKEN: wrong });
    expect(await runPublish(flags(), bad)).toBe(2);
    const printed = bad.err.join('') + bad.out.join('');
    expect(printed).toContain('runs the request as Guest');
    expect(printed).not.toContain(wrong);
    expect(h.server.writeCount).toBe(0);
  });

  it('a broken run exits 1 listing what failed; the rerun exits 0 with every page in place', async () => {
    h.server.inject({ kind: 'status', status: 503, count: 40, skip: 4, match: (r) => r.kind === 'mutation' && !r.body.includes('write-check') });
    const broken = io(dir, { WIKIJS_TOKEN: h.token });
    expect(await runPublish(flags(), broken)).toBe(1);
    const text = broken.out.join('');
    expect(text).toMatch(/Failed \(\d+\):/);
    expect(text).toContain('HTTP 503');
    expect(text).toContain('Run `compose-wiki publish` again');
    expect(broken.err.join('')).toContain('retrying pages.create');
    h.server.clearFaults();
    const rerun = io(dir, { WIKIJS_TOKEN: h.token });
    expect(await runPublish(flags(), rerun)).toBe(0);
    expect(h.server.pages()).toHaveLength(12);
  });

  it('--dry-run --diff prints the plan with diffs and writes nothing', async () => {
    await runPublish(flags(), io(dir, { WIKIJS_TOKEN: h.token }));
    const pages = makePages(12);
    await writeContentDir(path.join(dir, 'content'), [withContent(pages[2]!, '# svc-02\n\nNew text.\n')], 'comment');
    const writes = h.server.writeCount;
    const dry = io(dir, { WIKIJS_TOKEN: h.token });
    expect(await runPublish(flags({ dryRun: true, diff: true }), dry)).toBe(0);
    const text = dry.out.join('');
    expect(text).toContain(`update      ${pages[2]!.path} (content)`);
    expect(text).toContain('+New text.');
    expect(text).toContain('Nothing was written.');
    expect(h.server.writeCount).toBe(writes);
  });

  it('an invalid page path exits 1 before anything is sent', async () => {
    await writeContentDir(path.join(dir, 'content'), [{ ...makePages(1)[0]!, path: `${PREFIX}/Stacks/web/v1.2` }], 'yaml');
    const run = io(dir, { WIKIJS_TOKEN: h.token });
    expect(await runPublish(flags(), run)).toBe(1);
    expect(run.err.join('')).toContain('v1.2.md');
    expect(h.server.requests).toHaveLength(0);
  });
});

describe('settings', () => {
  it('picks the target from flags, then the file; refuses ambiguity and bad values', () => {
    expect(resolvePublishSettings({ url: 'https://wiki.example.com' }, '/tmp').target).toBe('api');
    expect(resolvePublishSettings({ git: '/tmp' }, '/tmp').target).toBe('git');
    expect(() => resolvePublishSettings({}, '/nonexistent-dir')).toThrow(WikiConfigError);
    expect(() => resolvePublishSettings({ url: 'https://w', concurrency: '0' }, '/tmp')).toThrow(/concurrency/);
    expect(() => resolvePublishSettings({ url: 'https://w', sourceUrl: 'git.example.com/{path}' }, '/tmp')).toThrow(/http/);
  });

  it('takes the token from WIKIJS_TOKEN first; rejects a key with spaces without echoing it', () => {
    expect(resolveToken({ WIKIJS_TOKEN: ' abc123 \n' }, undefined)).toBe('abc123');
    let message = '';
    try {
      resolveToken({ WIKIJS_TOKEN: 'secret part two' }, undefined);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('spaces');
    expect(message).not.toContain('secret part');
  });
});
