import { describe, expect, it } from 'vitest';
import { citationProblems, EXAMPLE, markdownOf, renderExample } from './helpers.ts';

describe('service page of the example authentik server', () => {
  it('has every section of the seed, in order', async () => {
    const { pages } = await renderExample();
    const page = pages.find((p) => p.path === 'home/Platform/Stacks/authentik/authentik-server');
    expect(page).toBeDefined();
    const headings = markdownOf(page!).split('\n').filter((l) => l.startsWith('#'));
    expect(headings).toEqual([
      '# authentik-server', '## Overview', '## Runtime Profile', '## Configuration & Secrets', '## Integrations', '## Operational Notes',
    ]);
  });

  it('states every Runtime Profile line the seed has, each with its exact lines', async () => {
    const { pages, project } = await renderExample();
    const page = pages.find((p) => p.path.endsWith('/authentik-server'))!;
    const markdown = markdownOf(page);
    const server = project.stacks.find((s) => s.id === 'authentik')!.services.find((s) => s.name === 'server')!;
    const cite = (r: { file: string; startLine: number; endLine: number }) => `【F:${r.file}†L${r.startLine}-L${r.endLine}】`;
    expect(markdown).toContain(`- **Image:** \`ghcr.io/goauthentik/server:2025.8.4\`${cite(server.image!.range)}`);
    expect(markdown).toContain(`- **Command:** \`server\`${cite(server.command!.range)}`);
    expect(markdown).toContain(`- **Restart policy:** \`unless-stopped\`${cite(server.restart!.range)}`);
    expect(markdown).toMatch(/- \*\*Volumes:\*\* `ak_media:\/media`, `ak_templates:\/templates`【F:authentik\/compose\.yml†L\d+-L\d+】/);
    expect(markdown).toMatch(/- \*\*Networks:\*\* `frontend_net`, `backend_net`, `db_net`【F:/);
    expect(markdown).toContain(`- **Health:** no explicit healthcheck is defined in compose.${cite(server.range)}`);
  });

  it('groups the environment like the seed and never shows a secret value', async () => {
    const { pages } = await renderExample();
    const markdown = markdownOf(pages.find((p) => p.path.endsWith('/authentik-server'))!);
    expect(markdown).toMatch(/\| `AUTHENTIK_POSTGRESQL__HOST\/PORT\/NAME\/USER\/PASSWORD` +\|/);
    expect(markdown).toMatch(/\| `AUTHENTIK_REDIS__HOST\/PORT\/DB\/PASSWORD` +\|/);
    expect(markdown).toMatch(/\| `AUTHENTIK_SECRET_KEY` +\| [^|]+\| secret, from `.env`/);
  });

  it('cites only ranges that resolve in the example, on every page', async () => {
    const { pages, project } = await renderExample();
    const problems = pages.flatMap((page) => citationProblems(project, EXAMPLE, markdownOf(page)).map((p) => `${page.path}: ${p}`));
    expect(problems).toEqual([]);
    expect(pages.length).toBe(2 + project.stacks.length + project.stacks.reduce((n, s) => n + s.services.length, 0));
  });

  it('names pages after container_name, else the service key, unique within the stack', async () => {
    const { pages } = await renderExample();
    const paths = pages.map((p) => p.path);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths).toContain('home/Platform/Stacks/media_serving/bazarr');
    for (const path of paths) expect(path).toMatch(/^[A-Za-z0-9_/-]+$/);
  });
});
