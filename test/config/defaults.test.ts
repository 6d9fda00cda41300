/** The written-out defaults (src/lib/config/defaults.ts) against the schema they stand for. */
import { describe, expect, it } from 'vitest';
import { configSchema, defaultConfigFile } from '../../src/lib/config/index.ts';

describe('defaultConfigFile', () => {
  it('is what the schema gives for an empty config file, key order included', () => {
    // When this fails after a schema change: update src/lib/config/defaults.ts to match.
    expect(defaultConfigFile()).toStrictEqual(configSchema.parse({}));
    expect(JSON.stringify(defaultConfigFile())).toBe(JSON.stringify(configSchema.parse({})));
  });

  it('is a new object at every call', () => {
    const first = defaultConfigFile();
    first.tags.push('changed');
    first.pages.platform = 'changed';
    expect(defaultConfigFile()).toStrictEqual(configSchema.parse({}));
  });
});
