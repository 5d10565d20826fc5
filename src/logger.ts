// Structured, one-line JSON logs. Small on purpose: fields first, then the message.

export interface Logger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export function jsonLogger(write: (line: string) => void = (line) => process.stdout.write(line + '\n')): Logger {
  const log = (level: string) => (fields: Record<string, unknown>, message: string) =>
    write(JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields }));
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    const status = (error as { statusCode?: number }).statusCode;
    return { error: error.message, ...(status ? { status } : {}) };
  }
  return { error: String(error) };
}
