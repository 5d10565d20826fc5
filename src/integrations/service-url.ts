import { BotError } from '../errors';

// Base URLs of Graph, the Entra authority and GitHub come from the environment. A bearer token
// must never cross the network in clear, so plain http is accepted only for this machine (the
// loopback servers tests and local runs use).

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The URL without a trailing slash; throws BotError 'invalid' naming `setting` when it is not https (or http on loopback). */
export function serviceBaseUrl(setting: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new BotError('invalid', `${setting} must be a URL like https://graph.microsoft.com/v1.0, got "${value}"`);
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
  if (!secure || url.search || url.hash) {
    throw new BotError('invalid', `${setting} must be an https:// URL without query or fragment (http:// only on this machine), got "${value}"`);
  }
  return url.toString().replace(/\/+$/, '');
}

/** Trimmed, or undefined when unset or blank. */
export function envText(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}
