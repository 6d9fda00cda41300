/** Masking secrets inside free text (commands, healthcheck tests) that is shown as written. */
import { isSecretName, looksSecretValue, maskUrlCredentials } from '../model/secrets.ts';

const SECRET_FLAG = /(?<=^|[\s"'])(--?[A-Za-z0-9_-]*(?:pass|password|passwd|secret|token|key|auth)[A-Za-z0-9_-]*)(=|\s+)("[^"]*"|'[^']*'|[^\s"']+)/gi;
/** `-pSECRET` (no space) of the MySQL/MariaDB clients, common in healthchecks. */
const MYSQL_CLIENT = /\b(mysql|mysqladmin|mysqldump|mariadb|mariadb-admin|mariadb-dump|healthcheck\.sh)\b/i;
const MYSQL_PASSWORD = /(^|\s)-p("[^"]*"|'[^']*'|[^\s"']+)/g;
/** `redis-cli -a PASSWORD` and `mongo(sh) -p PASSWORD`. */
const REDIS_CLI = /\b(redis-cli|keydb-cli|valkey-cli)\b/i;
const REDIS_PASSWORD = /(^|\s)-a(\s+)("[^"]*"|'[^']*'|[^\s"']+)/g;
const MONGO_CLIENT = /\b(mongo|mongosh)\b/i;
const MONGO_PASSWORD = /(^|\s)-p(\s+)("[^"]*"|'[^']*'|[^\s"'-][^\s"']*)/g;
/** `-u user:password` / `--user=user:password` (curl, wget and friends). */
const USER_PASSWORD = /((?:^|\s)(?:-u|--user|--proxy-user)(?:=|\s+))("?)([^\s:"']+):([^\s"']+)/g;
/** HTTP headers that carry credentials: `X-API-KEY: x`, `Authorization: Bearer x`. */
const SECRET_HEADER = /\b((?:[A-Za-z0-9]+-)*(?:api-?key|key|token|secret|password|auth|authorization)(?:-[A-Za-z0-9]+)*)(\s*:\s*)((?:Bearer|Basic|Token)\s+)?([^\s"'\\]+)/gi;
/** A quoted member with a secret-named key, as in JSON: `"client_secret": "x"`. */
const SECRET_MEMBER = /(["'])([A-Za-z_][A-Za-z0-9_.-]*)\1(\s*:\s*)(["'])((?:\\.|(?!\4)[^\\])*)\4/g;
const SECRET_ASSIGNMENT = /\b([A-Za-z_][A-Za-z0-9_]*(?:PASS|PASSWORD|SECRET|TOKEN|KEY)[A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s"']+)/g;

/**
 * Masks secret values in a command line: values after secret-named flags (`--requirepass x`,
 * `--password=x`), the MySQL clients' `-px`, `redis-cli -a x`, `mongosh -p x`, `-u user:password`, secret-named assignments
 * (`PGPASSWORD=x`), quoted members with a secret-named key (`"client_secret": "x"`), URL credentials and key-shaped tokens. Variable references (`${REDIS_PASSWORD}`, `$$PASS`) are kept: they name, not reveal.
 */
export function maskCommand(command: string): string {
  const keepReference = (value: string) => /^["']?\$/.test(value);
  const mysql = MYSQL_CLIENT.test(command);
  const redis = REDIS_CLI.test(command);
  const mongo = MONGO_CLIENT.test(command);
  return maskUrlCredentials(command)
    .replace(SECRET_MEMBER, (all, q: string, name: string, sep: string, vq: string, value: string) => (!isSecretName(name) || value === '' || keepReference(value) ? all : `${q}${name}${q}${sep}${vq}***${vq}`))
    .replace(SECRET_HEADER, (all, name: string, sep: string, scheme: string | undefined, value: string) => (keepReference(value) ? all : `${name}${sep}${scheme ?? ''}***`))
    .replace(SECRET_FLAG, (all, flag: string, sep: string, value: string) => (keepReference(value) ? all : `${flag}${sep}***`))
    .replace(MYSQL_PASSWORD, (all, before: string, value: string) => (!mysql || keepReference(value) ? all : `${before}-p***`))
    .replace(REDIS_PASSWORD, (all, before: string, sep: string, value: string) => (!redis || keepReference(value) ? all : `${before}-a${sep}***`))
    .replace(MONGO_PASSWORD, (all, before: string, sep: string, value: string) => (!mongo || keepReference(value) ? all : `${before}-p${sep}***`))
    .replace(USER_PASSWORD, (all, flag: string, quote: string, user: string, password: string) => (keepReference(password) ? all : `${flag}${quote}${user}:***`))
    .replace(SECRET_ASSIGNMENT, (all, name: string, value: string) => (keepReference(value) ? all : `${name}=***`))
    .split(/(\s+)/)
    .map((token) => (looksSecretValue(token.replace(/^["']|["']$/g, '')) ? '***' : token))
    .join('');
}
