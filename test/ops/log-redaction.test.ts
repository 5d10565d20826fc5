import { createLogger } from '../../src/logger';

// Logs never carry secrets or people's words: the net under the call sites' own care.

describe('log redaction', () => {
  const lines = () => {
    const written: string[] = [];
    return { written, logger: createLogger({ write: (line) => written.push(line) }) };
  };

  it('replaces secret and message-text fields at the top level and one object down', () => {
    const { written, logger } = lines();
    logger.info(
      {
        activityId: 'a1',
        text: 'approve rc.1 — my words',
        authorization: 'Bearer eyJ.secret',
        request: { token: 'tok-123', path: '/api/messages', text: 'hello' },
        env: { COSMOS_KEY: 'key==', GITHUB_TOKEN: 'ghp_x', PORT: '3978' },
      },
      'turn',
    );
    const line = JSON.parse(written[0]!);
    expect(line).toMatchObject({
      level: 'info',
      msg: 'turn',
      activityId: 'a1',
      text: '[redacted]',
      authorization: '[redacted]',
      request: { token: '[redacted]', path: '/api/messages', text: '[redacted]' },
      env: { COSMOS_KEY: '[redacted]', GITHUB_TOKEN: '[redacted]', PORT: '3978' },
    });
    for (const secret of ['my words', 'eyJ.secret', 'tok-123', 'hello', 'key==', 'ghp_x']) expect(written[0]).not.toContain(secret);
  });

  it('leaves the caller’s object alone and prints lines without such fields unchanged', () => {
    const { written, logger } = lines();
    const fields = { release: '2026.4.0', nested: { password: 'p' } };
    logger.warn(fields, 'x');
    logger.warn({ release: '2026.4.0', reads: 0, writes: 1 }, 'command store cost');
    expect(fields.nested.password).toBe('p');
    expect(JSON.parse(written[0]!).nested).toEqual({ password: '[redacted]' });
    expect(JSON.parse(written[1]!)).toMatchObject({ release: '2026.4.0', reads: 0, writes: 1 });
  });
});
