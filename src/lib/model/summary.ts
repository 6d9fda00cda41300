/** A readable, stable text summary of a project model (what `compose-wiki model` prints). */
import type { Diagnostic, Project } from './types.ts';

/** One line per stack and service, with the facts an operator checks first. */
export function summariseProject(project: Project): string {
  const lines: string[] = [];
  const services = project.stacks.reduce((n, s) => n + s.services.length, 0);
  lines.push(`${project.name}: ${project.stacks.length} stacks, ${services} services, ${project.diagnostics.length} diagnostics`);
  for (const stack of project.stacks) {
    lines.push('', `${stack.id} (project ${stack.name.value}) — ${stack.files.join(', ')}`);
    for (const service of stack.services) {
      const image = service.image ? service.image.value.text : service.build ? `build ${service.build.value.context ?? '.'}` : 'no image';
      const name = service.containerName ? ` [${service.containerName.value}]` : '';
      const range = `${service.range.file}:${service.range.startLine}-${service.range.endLine}`;
      lines.push(`  ${service.name}${name}  ${image}  (${range})`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `file:line:column: severity code: message`, the form editors and CI logs understand. `shown`
 * turns the repository-relative file into the path to print (the CLI prints it relative to the
 * working folder, as `check` does, so that a terminal or editor can open it).
 */
export function formatDiagnostic(d: Diagnostic, shown: (file: string) => string = (file) => file): string {
  const file = shown(d.file);
  const place = d.line > 0 ? `${file}:${d.line}:${d.column}` : file;
  return `${place}: ${d.severity} ${d.code}: ${d.message}`;
}
