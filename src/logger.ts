import pino from 'pino';

// Structured, one-line JSON logs (pino): fields first, then the message. Every module logs through
// this small interface, so the logging library stays a detail of this file.

export interface Logger {
  /** Detail that is off unless LOG_LEVEL=debug (e.g. every command's store requests). */
  debug?(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface LoggerOptions {
  /** Lines below this level are dropped (default info). */
  readonly level?: LogLevel;
  /** Receives each line without its newline (default: stdout). Tests collect them. */
  readonly write?: (line: string) => void;
}

/**
 * Keys whose values are replaced by "[redacted]" wherever a call site puts them (top level and
 * one object down): credentials, and message text, which is people's words. Call sites already
 * avoid them; this is the net under that rule. (Done in pino's `log` formatter rather than with its
 * `redact` paths: wildcard paths made every line cost ~30 KB of work, ~2% of a command's CPU.)
 */
const REDACTED_KEYS: ReadonlySet<string> = new Set([
  'authorization',
  'password',
  'appPassword',
  'secret',
  'clientSecret',
  'token',
  'accessToken',
  'text',
  'MICROSOFT_APP_PASSWORD',
  'COSMOS_KEY',
  'GRAPH_CLIENT_SECRET',
  'GITHUB_TOKEN',
  'GITHUB_WEBHOOK_SECRET',
  'PAGERDUTY_TOKEN',
  'EVIDENCE_LINK_KEY',
]);
const CENSOR = '[redacted]';

/** `fields` with the values of REDACTED_KEYS replaced, at the top level and one object down; copied only when something is replaced. */
export function redactFields(fields: Record<string, unknown>): Record<string, unknown> {
  let out = fields;
  for (const key in fields) {
    const value = fields[key];
    let replaced: unknown = value;
    if (REDACTED_KEYS.has(key)) replaced = value === undefined ? value : CENSOR;
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) replaced = redactOneLevel(value as Record<string, unknown>);
    if (replaced !== value) {
      if (out === fields) out = { ...fields };
      out[key] = replaced;
    }
  }
  return out;
}

function redactOneLevel(value: Record<string, unknown>): Record<string, unknown> {
  let out = value;
  for (const key in value) {
    if (REDACTED_KEYS.has(key) && value[key] !== undefined) {
      if (out === value) out = { ...value };
      out[key] = CENSOR;
    }
  }
  return out;
}

/** `{"level":"info","time":"2026-04-14T22:00:00.000Z","msg":"…",…fields}` per line. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const write = options.write;
  const destination = write ? { write: (chunk: string) => write(chunk.replace(/\n$/, '')) } : pino.destination({ dest: 1, sync: true });
  const log = pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }), log: redactFields },
    },
    destination,
  );
  return {
    debug: (fields, message) => log.debug(fields, message),
    info: (fields, message) => log.info(fields, message),
    warn: (fields, message) => log.warn(fields, message),
    error: (fields, message) => log.error(fields, message),
  };
}

/** The same lines as createLogger, written through `write` (default stdout). */
export function jsonLogger(write?: (line: string) => void): Logger {
  return createLogger(write ? { write } : {});
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    const status = (error as { statusCode?: number }).statusCode;
    return { error: error.message, ...(status ? { status } : {}) };
  }
  return { error: String(error) };
}

/** Request-supplied text, bounded before it reaches a log line. */
export function clip(value: unknown, max = 200): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
