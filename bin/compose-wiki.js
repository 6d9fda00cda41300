#!/usr/bin/env node
// Entry point of the `compose-wiki` command. The sources are TypeScript run by Node's own type
// stripping (Node >= 22.18 / 24), so no build step stands between a change and a run. When this
// file is started by an older Node (the system Node 20 of a fresh machine), it hands over to the
// Node 24 binary pinned as a devDependency, or says clearly what to do.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
const supported = major > 23 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);

if (supported) {
  // Node's compile cache keeps the type-stripped source and V8's code of every module loaded, so
  // that the next start skips both (W1 generate 0.85 -> 0.64 s CPU, warm cache against none). It
  // lives where Node puts it by default, outside the repository and the user's content:
  // $NODE_COMPILE_CACHE, else <tmpdir>/node-compile-cache. NODE_DISABLE_COMPILE_CACHE=1 turns it
  // off, and an unwritable directory only means no cache (Node reports it and does not throw).
  try {
    module.enableCompileCache?.();
  } catch {
    // Not worth failing a command for.
  }
  // V8 moves an allocation site to the old generation once most of its objects outlive a
  // scavenge. The huge platform and stacks-index pages make the page builders' sites look like
  // that, and from then on every page's short-lived tree (and what it points to) lands in the old
  // generation and waits for a full collection: W3 check peaked at 0.9-1.2 GB instead of 0.56-0.59
  // GB and took ~1 s longer. The flag only decides where new objects are placed; it is set before
  // anything is allocated. (Node keeps V8's flags writable at run time for v8.setFlagsFromString.)
  //
  // And V8 lets the old generation grow to several times what the last full collection left
  // before it collects again. A check of 11,652 drifted pages promotes ~450 MB of each page's
  // merge garbage after its last full collection (~200 MB live, 5 s in): it peaked at 1.03 GB.
  // A 70 % growing factor (V8 reads it each time it sets the limit) ran it at 0.83 GB in the same
  // time; a clean W3 check took 10.47 against 10.44 s side by side.
  try {
    const v8 = await import('node:v8');
    v8.setFlagsFromString('--no-allocation-site-pretenuring');
    v8.setFlagsFromString('--heap-growing-percent=70');
  } catch {
    // A Node that refuses it runs as before.
  }
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
} else {
  const pinned = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  if (!existsSync(pinned) || process.env.COMPOSE_WIKI_REEXEC) {
    console.error(
      `compose-wiki needs Node >= 22.18 (found ${process.versions.node}). Run it through npm ` +
        '(`npx compose-wiki`, `npm start`) after a plain `npm install`, which installs Node 24.',
    );
    process.exit(2);
  }
  const child = spawnSync(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, COMPOSE_WIKI_REEXEC: '1' },
  });
  process.exit(child.status ?? 1);
}
