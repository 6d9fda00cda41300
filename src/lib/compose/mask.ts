/** Masking secrets inside free text (commands, healthcheck tests) that is shown as written. */
import { looksSecretValue, maskUrlCredentials } from '../model/secrets.ts';

const SECRET_FLAG = /(--?[A-Za-z0-9_-]*(?:pass|password|passwd|secret|token|key|auth)[A-Za-z0-9_-]*)(=|\s+)("[^"]*"|'[^']*'|[^\s"']+)/gi;
const SECRET_ASSIGNMENT = /\b([A-Za-z_][A-Za-z0-9_]*(?:PASS|PASSWORD|SECRET|TOKEN|KEY)[A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s"']+)/g;

/**
 * Masks secret values in a command line: values after secret-named flags (`--requirepass x`,
 * `--password=x`), secret-named assignments (`PGPASSWORD=x`), URL credentials and key-shaped
 * tokens. Variable references (`${REDIS_PASSWORD}`, `$$PASS`) are kept: they name, not reveal.
 */
export function maskCommand(command: string): string {
  const keepReference = (value: string) => /^["']?\$/.test(value);
  return maskUrlCredentials(command)
    .replace(SECRET_FLAG, (all, flag: string, sep: string, value: string) => (keepReference(value) ? all : `${flag}${sep}***`))
    .replace(SECRET_ASSIGNMENT, (all, name: string, value: string) => (keepReference(value) ? all : `${name}=***`))
    .split(/(\s+)/)
    .map((token) => (looksSecretValue(token.replace(/^["']|["']$/g, '')) ? '***' : token))
    .join('');
}
