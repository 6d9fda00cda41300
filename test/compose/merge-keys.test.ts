/**
 * YAML anchors, aliases and `<<` merge keys (YAML 1.1 merge, which Compose accepts): own keys win
 * over merged ones wherever they are written, earlier sources of `<<: [*a, *b]` win over later
 * ones, the merge is shallow, and every merged fact is cited at the anchored text it comes from.
 */
import { describe, expect, it } from 'vitest';
import { facts, lines, loadRepo, service } from './helpers.ts';

interface Case {
  readonly name: string;
  readonly compose: string;
  readonly service: string;
  readonly facts: Record<string, unknown>;
  /** Service range and definitions, as `file:start-end`. */
  readonly definitions?: readonly string[];
}

const cases: Case[] = [
  {
    name: 'a single merge key takes every key of the anchor, cited at the anchor',
    compose: `x-base: &base
  image: nginx:1
  restart: always
services:
  web:
    <<: *base
    container_name: web
`,
    service: 'web',
    facts: { image: 'nginx:1@2', restart: 'always@3', containerName: 'web@7' },
    definitions: ['s/compose.yml:5-7', 's/compose.yml:2-3'],
  },
  {
    name: 'own keys win over merged keys, written before or after the merge key',
    compose: `x-base: &base
  image: nginx:1
  restart: always
  user: "1000"
services:
  web:
    restart: "no"
    <<: *base
    user: root
`,
    service: 'web',
    facts: { image: 'nginx:1@2', restart: 'no@7', user: 'root@9' },
  },
  {
    name: 'in a list of merge sources, the earlier source wins',
    compose: `x-a: &a
  image: a:1
  restart: always
x-b: &b
  image: b:1
  user: "1000"
services:
  web:
    <<: [*a, *b]
`,
    service: 'web',
    facts: { image: 'a:1@2', restart: 'always@3', user: '1000@6' },
    definitions: ['s/compose.yml:8-9', 's/compose.yml:2-3', 's/compose.yml:5-6'],
  },
  {
    name: 'the merge is shallow: an own environment replaces the merged one entirely',
    compose: `x-base: &base
  image: app
  environment:
    TZ: UTC
    LANG: C
services:
  web:
    <<: *base
    environment:
      MODE: prod
`,
    service: 'web',
    facts: { image: 'app@2', environment: { MODE: 'prod@10' } },
  },
  {
    name: 'a merge key inside environment merges variables, cited at the anchor',
    compose: `x-env: &env
  TZ: UTC
  MODE: dev
services:
  web:
    image: app
    environment:
      <<: *env
      MODE: prod
`,
    service: 'web',
    facts: { image: 'app@6', environment: { MODE: 'prod@9', TZ: 'UTC@2' } },
  },
  {
    name: 'a plain alias for a list cites the anchored items',
    compose: `x-ports: &ports
  - "80:80"
  - "443:443"
services:
  web:
    image: app
    ports: *ports
`,
    service: 'web',
    facts: { image: 'app@6', ports: ['80:80@2', '443:443@3'] },
    definitions: ['s/compose.yml:5-7', 's/compose.yml:2-3'],
  },
  {
    name: 'a service may merge another service’s anchored block',
    compose: `services:
  web: &web
    image: app:1
    restart: always
  worker:
    <<: *web
    command: work
`,
    service: 'worker',
    facts: { image: 'app:1@3', restart: 'always@4', command: 'work@7' },
    definitions: ['s/compose.yml:5-7', 's/compose.yml:3-4'],
  },
  {
    name: 'merges chain through anchors that merge other anchors',
    compose: `x-a: &a
  image: a
  restart: always
x-b: &b
  <<: *a
  user: "1"
services:
  web:
    <<: *b
`,
    service: 'web',
    facts: { image: 'a@2', restart: 'always@3', user: '1@6' },
  },
];

describe('merge keys and aliases', () => {
  it.each(cases)('$name', async (c) => {
    const project = await loadRepo({ 's/compose.yml': c.compose });
    expect(project.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const s = service(project, c.service);
    expect(facts(s)).toEqual(c.facts);
    if (c.definitions) expect(s.definitions.map(lines)).toEqual(c.definitions);
  });

  it('does not count anchored extension blocks as services', async () => {
    const project = await loadRepo({ 's/compose.yml': cases[0]?.compose ?? '' });
    expect(project.stacks[0]?.services.map((s) => s.name)).toEqual(['web']);
    expect(Object.keys(project.stacks[0]?.extensions ?? {})).toEqual(['x-base']);
  });
});
