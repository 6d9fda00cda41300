/**
 * The benchmark's floor: the least any `compose-wiki` command must do with a repository, run in a
 * fresh process like the real commands. It reads the same files the loader reads (in parallel)
 * and parses each compose file once with `yaml.parseDocument` and a `LineCounter`, with the
 * loader's parse options; env files are only read.
 *
 *   node scripts/bench-floor.ts --root DIR --files LIST.json   the floor itself (prints counts)
 *   node scripts/bench-floor.ts --root DIR --list              which files the loader reads, as JSON
 *                                                              (loads the project once, not timed)
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';

interface FileList {
  readonly files: ReadonlyArray<{ readonly path: string; readonly kind: string }>;
  readonly stacks?: number;
  readonly services?: number;
}

async function floor(root: string, listFile: string): Promise<void> {
  const started = performance.now();
  const { LineCounter, parseDocument } = await import('yaml');
  const list = JSON.parse(await readFile(listFile, 'utf8')) as FileList;
  const texts = await Promise.all(list.files.map((f) => readFile(path.join(root, ...f.path.split('/')), 'utf8')));
  let nodes = 0;
  let lines = 0;
  list.files.forEach((file, i) => {
    const text = texts[i] as string;
    if (file.kind !== 'compose') {
      lines += text.split('\n').length;
      return;
    }
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: false, strict: true });
    if (doc.errors.length > 0) throw new Error(`${file.path}: ${doc.errors[0]?.message}`);
    nodes += doc.contents ? 1 : 0;
    lines += lineCounter.lineStarts.length;
  });
  process.stdout.write(`${JSON.stringify({ files: list.files.length, lines, documents: nodes, ms: Math.round(performance.now() - started) })}\n`);
}

async function listFiles(root: string): Promise<void> {
  const { loadProject } = await import('../src/lib/compose/index.ts');
  const project = await loadProject(root);
  const errors = project.diagnostics.filter((d) => d.severity === 'error').length;
  const out: FileList & { errors: number } = {
    files: project.files.map((f) => ({ path: f.path, kind: f.kind })),
    stacks: project.stacks.length,
    services: project.stacks.reduce((n, s) => n + s.services.length, 0),
    errors,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

const { values } = parseArgs({
  options: { root: { type: 'string' }, files: { type: 'string' }, list: { type: 'boolean', default: false } },
  strict: true,
});
if (!values.root || (!values.list && !values.files)) {
  process.stderr.write('usage: node scripts/bench-floor.ts --root DIR (--files LIST.json | --list)\n');
  process.exit(2);
}
if (values.list) await listFiles(path.resolve(values.root));
else await floor(path.resolve(values.root), path.resolve(values.files as string));
