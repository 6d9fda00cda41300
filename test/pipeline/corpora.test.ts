/**
 * The whole pipeline on the three real corpora: generate twice (the second run must write
 * nothing and must not trip over what the first wrote), then check finds no drift and no
 * citation error in the generated pages.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/lib/check/index.ts';
import { configSchema, type Config } from '../../src/lib/config/index.ts';
import { generateProject } from '../../src/lib/pipeline/index.ts';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const work = mkdtempSync(path.join(os.tmpdir(), 'cw-corpora-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(['andronics__homelab-docker-compose', 'karubits__composeyourself', 'docker__awesome-compose'])('%s', (corpus) => {
  it('generates, regenerates without writing, and checks clean', async () => {
    const config: Config = { ...configSchema.parse({}), source: path.join(CORPUS, corpus), content: path.join(work, corpus) };
    const env = { SOURCE_DATE_EPOCH: '1767225600' };
    const first = await generateProject(config, env);
    expect(first.written.length).toBe(first.pages.length);
    const second = await generateProject(config, env);
    expect(second.written).toEqual([]);
    const { report } = await runCheck(config, { now: '2026-01-01T00:00:00.000Z' });
    expect(report.summary.drifted).toBe(0);
    expect(report.summary.citationErrors).toBe(0);
  });
});
