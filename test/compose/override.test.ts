/**
 * Override files (`compose.override.yml` beside `compose.yml`), merged as the Compose
 * Specification's merge rules say: single values replaced, mappings merged by key (environment by
 * variable name, labels by key), sequences appended (ports), unique resources merged by their key
 * (volumes by target), command replaced; each merged fact cites the file that wrote it.
 */
import { describe, expect, it } from 'vitest';
import { facts, lines, loadRepo, service } from './helpers.ts';

const main = `services:
  app:
    image: app:1
    command: ["serve", "--port", "80"]
    environment:
      A: "1"
      B: "2"
    ports:
      - "80:80"
    volumes:
      - data:/data
      - ./conf:/conf:ro
    labels:
      team: core
      tier: web
volumes:
  data:
`;

const override = `services:
  app:
    image: app:2
    command: ["serve", "--debug"]
    environment:
      - B=3
      - C=4
    ports:
      - "443:443"
      - "80:80"
    volumes:
      - ./dev-conf:/conf
    labels:
      tier: dev
  extra:
    image: extra:1
`;

describe('override files', () => {
  const cases: Array<{ name: string; mainName: string; overrideName: string }> = [
    { name: 'compose.yml + compose.override.yml', mainName: 'compose.yml', overrideName: 'compose.override.yml' },
    { name: 'compose.yaml + compose.override.yaml', mainName: 'compose.yaml', overrideName: 'compose.override.yaml' },
    { name: 'docker-compose.yml + docker-compose.override.yml', mainName: 'docker-compose.yml', overrideName: 'docker-compose.override.yml' },
  ];
  it.each(cases)('$name: merged fact by fact, each cited where it is written', async ({ mainName, overrideName }) => {
    const m = `s/${mainName}`;
    const o = `s/${overrideName}`;
    const project = await loadRepo({ [m]: main, [o]: override });
    expect(project.diagnostics).toEqual([]);
    expect(project.stacks[0]?.files).toEqual([m, o]);
    const app = service(project, 'app');
    expect(facts(app)).toEqual({
      image: `app:2@${o}:3`,
      command: `serve --debug@${o}:4`,
      environment: { A: '1@6', B: `3@${o}:6`, C: `4@${o}:7` },
      ports: ['80:80@' + `${o}:10`, `443:443@${o}:9`],
      volumes: ['data:/data@11', `./dev-conf:/conf@${o}:12`],
      labels: ['team=core@14', `tier=dev@${o}:14`],
    });
    expect(lines(app.range)).toBe(`${m}:2-15`);
    expect(app.definitions.map(lines)).toEqual([`${m}:2-15`, `${o}:2-14`]);
    const extra = service(project, 'extra');
    expect(lines(extra.range)).toBe(`${o}:15-16`);
    expect(project.stacks[0]?.services.map((s) => s.name)).toEqual(['app', 'extra']);
  });

  it('appends ports: every port of both files is kept once', async () => {
    const project = await loadRepo({ 's/compose.yml': main, 's/compose.override.yml': override });
    expect(service(project, 'app').ports.map((p) => p.value.text).sort()).toEqual(['443:443', '80:80']);
  });

  it('merges top-level volumes and networks by key', async () => {
    const project = await loadRepo({
      's/compose.yml': 'services:\n  a:\n    image: a\nnetworks:\n  front:\n    driver: bridge\nvolumes:\n  data:\n',
      's/compose.override.yml': 'networks:\n  front:\n    external: true\n  back: {}\nvolumes:\n  logs:\n',
    });
    const stack = project.stacks[0];
    expect(stack?.networks.map((n) => `${n.key}:${n.external}@${lines(n.range)}`)).toEqual(['front:true@s/compose.override.yml:2-3', 'back:false@s/compose.override.yml:4-4']);
    expect(stack?.volumes.map((v) => v.key)).toEqual(['data', 'logs']);
  });

  it('ignores an override file without a main file, with a warning naming it', async () => {
    const project = await loadRepo({ 'lonely/compose.override.yml': override, 'ok/compose.yml': 'services:\n  a:\n    image: a\n' });
    expect(project.stacks.map((s) => s.id)).toEqual(['ok']);
    expect(project.diagnostics).toMatchObject([{ severity: 'warning', file: 'lonely/compose.override.yml', code: 'stack-override-only' }]);
  });

  it('uses the preferred main file when a folder has several, with a warning', async () => {
    const project = await loadRepo({ 's/compose.yaml': 'services:\n  a:\n    image: a\n', 's/docker-compose.yml': 'services:\n  b:\n    image: b\n' });
    expect(project.stacks[0]?.files).toEqual(['s/compose.yaml']);
    expect(project.diagnostics).toMatchObject([{ severity: 'warning', file: 's/compose.yaml', code: 'stack-several-main-files' }]);
  });

  it('reports an override file that is invalid YAML and keeps the main file’s services', async () => {
    const project = await loadRepo({ 's/compose.yml': main, 's/compose.override.yml': 'services:\n  app:\n    image: "x\n' });
    expect(project.diagnostics.find((d) => d.severity === 'error')).toMatchObject({ file: 's/compose.override.yml', code: 'yaml-unclosed', line: 3, column: 12 });
    expect(service(project, 'app').image?.value.text).toBe('app:1');
  });
});
