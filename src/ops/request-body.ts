// What /api/messages accepts as a body: JSON (Content-Type application/json, any charset), an object
// with a `type`, as Bot Framework sends every activity. Anything else is answered here with our own
// JSON error, before botbuilder (whose refusals are plain text) sees it.

export interface BodyRefusal {
  readonly status: 400 | 415;
  readonly error: string;
  readonly message: string;
}

/** A Content-Type other than JSON (restify's getContentType: the media type, lower case, no parameters). */
export function unsupportedContentType(contentType: string): BodyRefusal | undefined {
  if (contentType === 'application/json') return undefined;
  return {
    status: 415,
    error: 'Unsupported Media Type',
    message: `The body must be a JSON Bot Framework activity sent as application/json${contentType ? `, not ${contentType.slice(0, 80)}` : ''}.`,
  };
}

/** The body as read (text, or bytes for a type we would not read as text), parsed into an activity-shaped object. */
export function parseActivityBody(raw: unknown): { readonly activity: Record<string, unknown> } | { readonly refusal: BodyRefusal } {
  const text = typeof raw === 'string' ? raw : Buffer.isBuffer(raw) ? raw.toString('utf8') : '';
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { refusal: { status: 400, error: 'Bad Request', message: text.trim() === '' ? 'The body is empty; send a JSON Bot Framework activity.' : 'The body is not valid JSON.' } };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body) || typeof (body as { type?: unknown }).type !== 'string' || (body as { type: string }).type === '') {
    return { refusal: { status: 400, error: 'Bad Request', message: 'The body is not a Bot Framework activity (a JSON object with a type).' } };
  }
  return { activity: body as Record<string, unknown> };
}
