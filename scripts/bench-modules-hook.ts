/**
 * Records every module a process loads, for the benchmark's profile mode (does `check` load the
 * site toolchain?). Loaded with `node --import`; writes the URLs as JSON to BENCH_MODULES_FILE
 * when the process exits. Uses `module.registerHooks` (synchronous, in-thread: ESM and require).
 */
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const file = process.env.BENCH_MODULES_FILE;
const seen = new Set<string>();
if (file) {
  registerHooks({
    resolve(specifier, context, next) {
      const result = next(specifier, context);
      seen.add(result.url);
      return result;
    },
  });
  process.on('exit', () => writeFileSync(file, JSON.stringify([...seen].sort())));
}
