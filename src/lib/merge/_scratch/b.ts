import { parse, parseDocument } from 'yaml';
const s = `title: authentik-server\ndescription:\npublished: true\ndate: 2025-10-19T08:57:42Z\ntags: homelab, authentik\neditor: markdown\nx: 'a: b'\ny: [a, b]\nz: 0123\n`;
console.log(parse(s, { schema: 'failsafe' }));
for (const v of ['a: b', 'a:b', 'x #y', '#x', '2025-10-19', 'true', '123', '- x', 'it\'s', '"q"', 'a -- > b', '@x', '`x`', '%x', 'a:', ' a', '?x', 'x?', '{x', 'a, b', 'ghcr.io/x:1.2']) {
  let r: unknown; let r11: unknown;
  try { r = parse('k: ' + v).k; } catch (e) { r = 'ERR ' + (e as Error).message.slice(0, 40); }
  try { r11 = parse('k: ' + v, { schema: 'yaml-1.1' }).k; } catch (e) { r11 = 'ERR'; }
  console.log(JSON.stringify(v), '=>', JSON.stringify(r), JSON.stringify(r11));
}
