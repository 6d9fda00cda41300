/** planProject: the paths are known before rendering, and pages come one at a time in renderProject's order. */
import { expect, it } from 'vitest';
import { configSchema } from '../../src/lib/config/index.ts';
import { planProject } from '../../src/lib/render/index.ts';
import { markdownOf, renderExample } from './helpers.ts';

it('plans the same pages, in the same order, as renderProject renders', async () => {
  const { project, pages } = await renderExample();
  const plan = planProject(project, { config: configSchema.parse({}) });
  expect(plan.paths).toEqual(pages.map((p) => p.path));
  const lazy = plan.pages();
  const first = lazy.next();
  expect(first.done).toBe(false);
  expect(first.value && markdownOf(first.value)).toBe(markdownOf(pages[0] as (typeof pages)[number]));
  const rest = [...lazy];
  expect(rest.map((p) => p.path)).toEqual(pages.slice(1).map((p) => p.path));
  rest.forEach((page, i) => expect(markdownOf(page)).toBe(markdownOf(pages[i + 1] as (typeof pages)[number])));
  // Each call starts again.
  expect([...plan.pages()].map((p) => p.path)).toEqual(plan.paths);
});
