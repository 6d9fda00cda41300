/**
 * Judging whether a value is secret, and masking credentials, so that no secret value ever
 * reaches a page, a log or an error message. A variable is secret by its name (DESIGN: `*PASSWORD*`,
 * `*SECRET*`, `*TOKEN*`, `*KEY*`, `*_PASS`) or by the shape of its value.
 */

const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|BASICAUTH|DIGESTAUTH|(^|_|-|\.)(API_?)?KEY($|_|-|\.)|PRIVATE|_PASS$|^PASS$|CREDENTIAL|(^|_)AUTH$|SALT|PASSPHRASE|_PSK$/i;
/**
 * Names that match the above but hold no secret: where a secret lives (`_FILE`, `_PATH`, `_URL`
 * of a token endpoint), its identifier or shape (`_ID`, `_NAME`, `_LENGTH`, `_TYPE`), its policy
 * (`_TTL`, `_EXPIRY`, `_ENABLED`) — and words that merely contain KEY.
 */
const NOT_SECRET_NAME = /(_|^)(KEY_?(FILE|PATH|ID|NAME|LENGTH|TYPE))$|PUBLIC_?KEY|KEYBOARD|KEYCLOAK|MONKEY|_(FILE|PATH|URL|URI|ENDPOINT|ID|NAME|LENGTH|TYPE|TTL|EXPIRY|EXPIRE|EXPIRES|EXPIRATION|LIFETIME|TIMEOUT|ENABLED|ENABLE|ALGORITHM|HEADER|METHOD|MODE|STYLE)$/i;

/** Values that switch a feature on or off: never a secret, whatever the variable's name. */
const FLAG_VALUE = /^(true|false|yes|no|on|off|enabled|disabled|none|0|1)$/i;

/** True when a value is a plain on/off flag (`MARIADB_RANDOM_ROOT_PASSWORD: "yes"`). */
export function isFlagValue(value: string): boolean {
  return FLAG_VALUE.test(value.trim());
}

/** True when a variable, label or secret name suggests its value is secret. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET_NAME.test(name);
}

/** `scheme://user:pass@`, also when the scheme is missing or cut off (`//user:pass@host`). */
const URL_CREDENTIALS = /((?:\b[a-z][a-z0-9+.-]*:)?\/\/)([^\s/@:]*)(:[^\s/@]*)?@/gi;

/** Replaces the password (and a lone token user) of every `scheme://user:pass@host` with `***`. */
export function maskUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, (_all, scheme: string, user: string, password?: string) =>
    password ? `${scheme}${user}:***@` : `${scheme}***@`,
  );
}

/** True when the text contains credentials inside a URL. */
export function hasUrlCredentials(text: string): boolean {
  URL_CREDENTIALS.lastIndex = 0;
  const found = URL_CREDENTIALS.test(text);
  URL_CREDENTIALS.lastIndex = 0;
  return found;
}

/**
 * True when a value looks like generated key material whatever its name: JWTs, PEM blocks,
 * long hex or base64 runs with mixed character classes.
 */
export function looksSecretValue(value: string): boolean {
  const v = value.trim();
  if (/^-----BEGIN [A-Z0-9 ]*PRIVATE KEY/.test(v)) return true; // PEM private keys hold spaces
  if (v.length < 20 || /\s/.test(v) || v.includes('${')) return false;
  if (/^eyJ[\w-]+\.[\w-]+\.[\w-]*$/.test(v)) return true; // JWT
  if (/^(sk|pk|ghp|gho|ghs|glpat|xox[bap])[-_][\w-]{16,}$/.test(v)) return true;
  if (/^[0-9a-f]{32,}$/i.test(v) && /[0-9]/.test(v) && /[a-f]/i.test(v)) return true;
  if (/^[A-Za-z0-9+/_=-]{32,}$/.test(v) && /[0-9]/.test(v) && /[a-z]/.test(v) && /[A-Z]/.test(v) && !/[/.]{2}/.test(v)) {
    return true;
  }
  return false;
}

/** True when a name/value pair must not be shown. */
export function isSecret(name: string, value?: string): boolean {
  return isSecretName(name) || (value !== undefined && looksSecretValue(value));
}
