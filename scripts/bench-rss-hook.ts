/**
 * Fallback peak-RSS probe for the benchmark when GNU time (`/usr/bin/time -f %M`) is missing:
 * loaded with `node --import`, it writes the process's peak resident set size in KiB
 * (`process.resourceUsage().maxRSS`) and its CPU seconds to the file named by BENCH_RSS_FILE when
 * the process exits.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_RSS_FILE;
// Same shape as GNU time's `-f '%M %U %S'`: peak RSS in KiB, user and system CPU seconds.
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(file, `${usage.maxRSS} ${usage.userCPUTime / 1e6} ${usage.systemCPUTime / 1e6}\n`);
  });
}
