/**
 * Interpolation as the Compose Specification documents it (reference/compose-file/interpolation):
 * `${VAR}` and `$VAR`; `:-`/`-` defaults (unset-or-empty vs unset); `:?`/`?` required values;
 * `:+`/`+` alternatives; nesting inside the operand; `$$` for a literal `$`; anything else after
 * a `$` that is not a name is kept as written; unsupported forms are errors.
 */
import { describe, expect, it } from 'vitest';
import { interpolate } from '../../src/lib/compose/index.ts';
import { loadRepo, service } from './helpers.ts';

const ENV: Record<string, string> = { SET: 'value', EMPTY: '', B: 'bee', PASSWORD: 'CANARY-SECRET-interp' };
const lookup = (name: string): string | undefined => ENV[name];

describe('interpolate: substitution and operators', () => {
  // [text, expected value, expected variables]
  const cases: Array<[string, string, string[]]> = [
    ['${SET}', 'value', ['SET']],
    ['$SET', 'value', ['SET']],
    ['pre-$SET-post', 'pre-value-post', ['SET']],
    ['${SET}${SET}', 'valuevalue', ['SET']],
    ['${UNSET}', '', ['UNSET']],
    ['$UNSET', '', ['UNSET']],
    ['${EMPTY}', '', ['EMPTY']],
    // `:-` : default when unset OR empty.
    ['${UNSET:-d}', 'd', ['UNSET']],
    ['${EMPTY:-d}', 'd', ['EMPTY']],
    ['${SET:-d}', 'value', ['SET']],
    // `-` : default only when unset.
    ['${UNSET-d}', 'd', ['UNSET']],
    ['${EMPTY-d}', '', ['EMPTY']],
    ['${SET-d}', 'value', ['SET']],
    // `:+` : replacement when set and non-empty, else empty.
    ['${SET:+r}', 'r', ['SET']],
    ['${EMPTY:+r}', '', ['EMPTY']],
    ['${UNSET:+r}', '', ['UNSET']],
    // `+` : replacement when set (even empty), else empty.
    ['${SET+r}', 'r', ['SET']],
    ['${EMPTY+r}', 'r', ['EMPTY']],
    ['${UNSET+r}', '', ['UNSET']],
    // `?` / `:?` when the variable has a value.
    ['${SET:?e}', 'value', ['SET']],
    ['${SET?e}', 'value', ['SET']],
    ['${EMPTY?e}', '', ['EMPTY']],
    // `$$` is a literal dollar and stops interpolation.
    ['$$', '$', []],
    ['$$SET', '$SET', []],
    ['$${SET}', '${SET}', []],
    ['a$$b', 'a$b', []],
    // Nesting inside the operand.
    ['${A:-${B:-x}}', 'bee', ['A', 'B']],
    ['${A:-${C:-x}}', 'x', ['A', 'C']],
    ['${A-$B}', 'bee', ['A', 'B']],
    ['${SET:-${B}}', 'value', ['SET']],
    ['${UNSET:-a ${B} c}', 'a bee c', ['UNSET', 'B']],
    // A `$` not followed by a name or `{` is kept as written.
    ['$1', '$1', []],
    ['cost: 5$', 'cost: 5$', []],
    ['$ {SET}', '$ {SET}', []],
    ['$-x', '$-x', []],
    // No `$`: unchanged.
    ['plain text', 'plain text', []],
    ['', '', []],
  ];
  it.each(cases)('%j → %j', (text, value, variables) => {
    const result = interpolate(text, lookup);
    expect(result.value).toBe(value);
    expect(result.variables).toEqual(variables);
    expect(result.problems).toEqual([]);
  });
});

describe('interpolate: required values', () => {
  // [text, offset of the `$`, message]
  const cases: Array<[string, number, string]> = [
    ['${UNSET:?need it}', 0, 'required variable UNSET is not set: need it'],
    ['${EMPTY:?need it}', 0, 'required variable EMPTY is empty: need it'],
    ['${UNSET?need it}', 0, 'required variable UNSET is not set: need it'],
    ['${UNSET:?}', 0, 'required variable UNSET is not set'],
    ['${UNSET?}', 0, 'required variable UNSET is not set'],
    ['host-${UNSET:?set the host}', 5, 'required variable UNSET is not set: set the host'],
    ['${SET} ${UNSET?x}', 7, 'required variable UNSET is not set: x'],
    ['${SET:-${UNSET:?inner}}', 0, ''], // not evaluated: SET has a value
    ['${EMPTY:-${UNSET:?inner}}', 9, 'required variable UNSET is not set: inner'],
  ];
  it.each(cases)('%j', (text, offset, message) => {
    const result = interpolate(text, lookup);
    if (message === '') {
      expect(result.problems).toEqual([]);
      return;
    }
    expect(result.problems).toEqual([{ offset, code: 'interpolation-required', message }]);
    expect(result.value).not.toContain('$');
  });

  it('quotes the error text as written, never expanding a (secret) variable into the message', () => {
    const result = interpolate('${UNSET:?$PASSWORD is needed}', lookup);
    expect(result.problems[0]?.message).toBe('required variable UNSET is not set: $PASSWORD is needed');
    expect(JSON.stringify(result.problems)).not.toContain('CANARY');
    expect(result.variables).toEqual(['UNSET', 'PASSWORD']);
  });

  it('does not report `?` for a set but empty variable, and reports `:?` for it', () => {
    expect(interpolate('${EMPTY?e}', lookup).problems).toEqual([]);
    expect(interpolate('${EMPTY:?e}', lookup).problems).toHaveLength(1);
  });
});

describe('interpolate: invalid syntax', () => {
  // [text, offset, start of the message]
  const cases: Array<[string, number, string]> = [
    ['${SET', 0, 'unclosed "${"'],
    ['a ${SET', 2, 'unclosed "${"'],
    ['${A:-${B}', 0, 'unclosed "${"'],
    ['${}', 0, 'invalid interpolation "${}"'],
    ['${1A}', 0, 'invalid interpolation "${1A}"'],
    ['x ${-A}', 2, 'invalid interpolation "${-A}"'],
    ['${A B}', 0, 'invalid interpolation "${A B}"'],
    ['${SET/foo/bar}', 0, 'invalid interpolation "${SET/foo/bar}"'],
    ['${SET:=x}', 0, 'invalid interpolation "${SET:=x}"'],
    ['${UNSET:-${}}', 9, 'invalid interpolation "${}"'],
  ];
  it.each(cases)('%j', (text, offset, message) => {
    const result = interpolate(text, lookup);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.code).toBe('interpolation-syntax');
    expect(result.problems[0]?.offset).toBe(offset);
    expect(result.problems[0]?.message.startsWith(message)).toBe(true);
  });

  it('never throws, whatever follows a dollar', () => {
    for (const text of ['$', '${', '${{', '}}', '${:-}', '${A:-${B:-${C:-${D', '$$$', '${$}', '${A?${B?${C?}}}']) {
      expect(() => interpolate(text, lookup)).not.toThrow();
    }
  });
});

describe('interpolation in a compose file', () => {
  const compose = [
    'services:', //                                   1
    '  app:', //                                       2
    '    image: "nginx:${TAG:-1.25}"', //              3
    '    environment:', //                             4
    '      HOST: ${HOST:?set HOST in .env}', //        5
    '      PLAIN: $$HOME', //                          6
    '      - bad', //                                  7 (never reached: map)
  ].slice(0, 7 - 1).join('\n') + '\n';

  it('reports an unset `${VAR:?}` at its line and column: a warning without .env, an error with one', async () => {
    const withoutEnv = await loadRepo({ 's/compose.yml': compose });
    const warning = withoutEnv.diagnostics.find((d) => d.code === 'interpolation-required');
    expect(warning).toMatchObject({ severity: 'warning', file: 's/compose.yml', line: 5, column: 13 });
    expect(warning?.message).toContain('required variable HOST is not set: set HOST in .env');
    const withEnv = await loadRepo({ 's/compose.yml': compose, 's/.env': 'OTHER=1\n' });
    expect(withEnv.diagnostics.find((d) => d.code === 'interpolation-required')).toMatchObject({ severity: 'error', line: 5, column: 13 });
  });

  it('points at the `$` inside a quoted scalar and inside a list item', async () => {
    const project = await loadRepo({
      's/compose.yml': 'services:\n  app:\n    image: "x:${T:?tag}"\n    environment:\n      - "A=${B:?b}"\n',
      's/.env': 'X=1\n',
    });
    const at = project.diagnostics.filter((d) => d.code === 'interpolation-required').map((d) => `${d.line}:${d.column}`);
    expect(at).toEqual(['3:15', '5:12']);
  });

  it('takes values from .env first, then example env files; the process environment wins when given', async () => {
    const files = {
      's/compose.yml': 'services:\n  app:\n    image: "app:${TAG}"\n    environment:\n      MODE: ${MODE:-dev}\n',
      's/.env': 'TAG=from-dotenv\n',
      's/.env.example': 'TAG=from-example\nMODE=from-example\n',
    };
    const project = await loadRepo(files);
    expect(service(project, 'app').image?.value.text).toBe('app:from-dotenv');
    expect(service(project, 'app').environment[0]?.value).toBe('from-example');
    const overridden = await loadRepo(files, { processEnv: { TAG: 'from-shell' } });
    expect(service(overridden, 'app').image?.value.text).toBe('app:from-shell');
  });

  it('keeps `$$` as a literal dollar in values', async () => {
    const project = await loadRepo({ 's/compose.yml': compose });
    const plain = service(project, 'app').environment.find((e) => e.name === 'PLAIN');
    expect(plain?.value).toBe('$HOME');
    expect(plain?.origin).toBe('literal');
    expect(service(project, 'app').image?.value.text).toBe('nginx:1.25');
  });

  it('reports invalid interpolation syntax with its position', async () => {
    const project = await loadRepo({ 's/compose.yml': 'services:\n  app:\n    image: nginx\n    command: echo ${oops\n' });
    expect(project.diagnostics.find((d) => d.code === 'interpolation-syntax')).toMatchObject({ severity: 'error', line: 4, column: 19 });
  });
});
