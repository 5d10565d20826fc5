import { createServer, IncomingHttpHeaders, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

// PagerDuty's REST API v2 "List all of the on-calls" on loopback: GET /oncalls with
// schedule_ids[], since, until, include[], limit and offset. It checks each request the way the
// API documents it (the `Token token=` authorization, the v2 Accept header, the query parameters and
// their forms), records it, answers with the on-call entries of the shifts tests add, one page at a
// time, and can fail or hang the next requests.

export interface PagerDutyUser {
  readonly id: string;
  readonly name: string;
  readonly email: string;
}

export interface Shift {
  readonly scheduleId: string;
  readonly level: number;
  readonly user: PagerDutyUser;
  /** ISO; null: always. */
  readonly start: string | null;
  readonly end: string | null;
}

export interface PagerDutyRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  status: number;
}

export interface LoopbackPagerDuty {
  readonly url: string;
  readonly token: string;
  readonly requests: PagerDutyRequest[];
  readonly malformed: string[];
  shift(shift: Shift): void;
  /** The next `count` requests answer `status` with PagerDuty's error body. */
  failNext(count: number, status: 401 | 403 | 404 | 429 | 500 | 503): void;
  /** The next `count` requests get no answer until the server closes (the client must time out). */
  hangNext(count: number): void;
  close(): Promise<void>;
}

const ALLOWED = new Set(['schedule_ids[]', 'since', 'until', 'include[]', 'limit', 'offset', 'earliest', 'time_zone', 'user_ids[]', 'escalation_policy_ids[]']);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export async function startLoopbackPagerDuty(options: { readonly token?: string; readonly pageSize?: number } = {}): Promise<LoopbackPagerDuty> {
  const token = options.token ?? 'u+loopbackPagerDutyKey01';
  const shifts: Shift[] = [];
  const requests: PagerDutyRequest[] = [];
  const malformed: string[] = [];
  const hanging: ServerResponse[] = [];
  let failures = { count: 0, status: 500 };
  let hang = 0;

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://loopback');
    const request: PagerDutyRequest = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, status: 0 };
    requests.push(request);
    const answer = (status: number, body: unknown) => {
      request.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, message: string, code: number) => answer(status, { error: { message, code, errors: [message] } });

    if (req.headers.authorization !== `Token token=${token}`) return error(401, 'Authentication Required', 2006);
    if (req.headers.accept !== 'application/vnd.pagerduty+json;version=2') malformed.push(`accept ${req.headers.accept}`);
    if (req.method !== 'GET' || url.pathname !== '/oncalls') {
      malformed.push(`${req.method} ${url.pathname}`);
      return error(404, 'Not Found', 2100);
    }
    for (const key of new Set(url.searchParams.keys())) if (!ALLOWED.has(key)) malformed.push(`query ${key}`);
    const since = url.searchParams.get('since');
    const until = url.searchParams.get('until');
    const limit = Number(url.searchParams.get('limit') ?? '25');
    const offset = Number(url.searchParams.get('offset') ?? '0');
    const schedules = url.searchParams.getAll('schedule_ids[]');
    const problems = [
      ...(since && ISO.test(since) ? [] : [`since ${since}`]),
      ...(until && ISO.test(until) ? [] : [`until ${until}`]),
      ...(since && until && Date.parse(since) < Date.parse(until) ? [] : ['since must be before until']),
      ...(Number.isInteger(limit) && limit >= 1 && limit <= 100 ? [] : [`limit ${limit}`]),
      ...(Number.isInteger(offset) && offset >= 0 ? [] : [`offset ${offset}`]),
      ...(schedules.length > 0 ? [] : ['no schedule_ids[]']),
    ];
    if (problems.length > 0) {
      malformed.push(...problems);
      return error(400, 'Invalid Input Provided', 2001);
    }
    if (hang > 0) {
      hang -= 1;
      hanging.push(res);
      return;
    }
    if (failures.count > 0) {
      failures.count -= 1;
      return error(failures.status, failures.status >= 500 ? 'Internal Server Error' : 'Request Refused', 2000 + failures.status);
    }
    const withUsers = url.searchParams.getAll('include[]').includes('users');
    const [from, to] = [Date.parse(since!), Date.parse(until!)];
    const matching = shifts.filter(
      (s) => schedules.includes(s.scheduleId) && (s.start === null || Date.parse(s.start) < to) && (s.end === null || Date.parse(s.end) > from),
    );
    const page = matching.slice(offset, offset + Math.min(limit, options.pageSize ?? limit));
    answer(200, {
      oncalls: page.map((s) => ({
        escalation_policy: { id: 'PEP0001', type: 'escalation_policy_reference', summary: 'Platform', self: 'https://api.pagerduty.com/escalation_policies/PEP0001' },
        escalation_level: s.level,
        schedule: { id: s.scheduleId, type: 'schedule_reference', summary: `Schedule ${s.scheduleId}`, self: `https://api.pagerduty.com/schedules/${s.scheduleId}` },
        user: withUsers
          ? { id: s.user.id, type: 'user', name: s.user.name, email: s.user.email, summary: s.user.name, self: `https://api.pagerduty.com/users/${s.user.id}` }
          : { id: s.user.id, type: 'user_reference', summary: s.user.name, self: `https://api.pagerduty.com/users/${s.user.id}` },
        start: s.start,
        end: s.end,
      })),
      limit,
      offset,
      more: offset + page.length < matching.length,
      total: null,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token,
    requests,
    malformed,
    shift: (shift) => shifts.push(shift),
    failNext(count, status) {
      failures = { count, status };
    },
    hangNext(count) {
      hang = count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
