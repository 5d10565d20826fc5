import { isBotError } from '../../src/errors';
import { meetingSchedulerFromEnv } from '../../src/integrations/meetings';
import { LoopbackGraph, startLoopbackGraph } from '../helpers/loopback-graph';
import { deployMeeting, mailboxes, steven } from './fixtures';

// meetingSchedulerFromEnv: which scheduler the environment asks for, and the Graph ones working
// end to end against the loopback authority and Graph.

describe('meetingSchedulerFromEnv', () => {
  let graph: LoopbackGraph;

  beforeAll(async () => {
    graph = await startLoopbackGraph({ mailboxes });
  });

  afterAll(async () => {
    await graph.close();
  });

  beforeEach(() => {
    graph.requests.length = 0;
    graph.tokenRequests.length = 0;
  });

  const invalid = (env: Record<string, string>) => {
    try {
      meetingSchedulerFromEnv(env);
    } catch (error) {
      expect(isBotError(error, 'invalid')).toBe(true);
      return (error as Error).message;
    }
    throw new Error('expected BotError invalid');
  };

  it('falls back to prefilled Teams links without Graph settings', async () => {
    const { scheduler, description } = meetingSchedulerFromEnv({});
    expect(description).toContain('prefilled Teams links');
    expect((await scheduler.create(deployMeeting())).kind).toBe('scheduling-link');
  });

  it('signs in with the client secret and makes real meetings (GRAPH_BASE_URL and GRAPH_AUTHORITY_HOST point at loopback)', async () => {
    const { scheduler, description } = meetingSchedulerFromEnv(
      {
        GRAPH_TENANT_ID: graph.tenantId,
        GRAPH_CLIENT_ID: graph.clientId,
        GRAPH_CLIENT_SECRET: graph.clientSecret,
        GRAPH_BASE_URL: `${graph.graphUrl}/`,
        GRAPH_AUTHORITY_HOST: graph.authorityHost,
      },
      { authorityAgent: graph.authorityAgent, lookupDelayMs: 0 },
    );
    expect(description).toBe(
      `meetings through Microsoft Graph at ${graph.graphUrl}, signed in as app ${graph.clientId} of tenant ${graph.tenantId} with a client secret from ${graph.authorityHost}`,
    );
    expect(description).not.toContain(graph.clientSecret);

    const meeting = await scheduler.create(deployMeeting());
    expect(meeting).toMatchObject({ kind: 'teams-meeting', recordingOn: true });
    expect(graph.tokenRequests.map((t) => t.kind)).toEqual(['openid-configuration', 'client-credentials']);
    expect(graph.requests[0]!.path).toBe(`/users/${steven.aadObjectId}/events`);
  });

  it('signs in with the managed identity (App Service endpoint on loopback), user-assigned when a client id is given', async () => {
    const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };
    process.env.IDENTITY_ENDPOINT = graph.managedIdentity.endpoint;
    process.env.IDENTITY_HEADER = graph.managedIdentity.header;
    try {
      const { scheduler, description } = meetingSchedulerFromEnv(
        { GRAPH_USE_MANAGED_IDENTITY: 'true', GRAPH_MANAGED_IDENTITY_CLIENT_ID: '3c1d2e4f-0000-4000-8000-00000000beef', GRAPH_BASE_URL: graph.graphUrl },
        { lookupDelayMs: 0 },
      );
      expect(description).toBe(
        `meetings through Microsoft Graph at ${graph.graphUrl}, signed in with the user-assigned managed identity 3c1d2e4f-0000-4000-8000-00000000beef`,
      );
      const meeting = await scheduler.create(deployMeeting());
      expect(meeting.recordingOn).toBe(true);
      expect(graph.tokenRequests.map((t) => [t.kind, t.status])).toEqual([['managed-identity', 200]]);
      expect(graph.tokenRequests[0]!.fields).toEqual({
        'api-version': '2019-08-01',
        resource: 'https://graph.microsoft.com',
        client_id: '3c1d2e4f-0000-4000-8000-00000000beef',
      });
      const token = String(graph.requests[0]!.headers.authorization);
      expect(token).toMatch(/^Bearer graph-mi-token-/);
    } finally {
      restore('IDENTITY_ENDPOINT', saved.endpoint);
      restore('IDENTITY_HEADER', saved.header);
    }
  });

  it('describes a system-assigned managed identity', () => {
    expect(meetingSchedulerFromEnv({ GRAPH_USE_MANAGED_IDENTITY: 'TRUE' }).description).toBe(
      'meetings through Microsoft Graph at https://graph.microsoft.com/v1.0, signed in with the system-assigned managed identity',
    );
  });

  it('refuses half a client-secret configuration, naming what is missing', () => {
    expect(invalid({ GRAPH_TENANT_ID: 't', GRAPH_CLIENT_ID: 'c' })).toBe(
      'Microsoft Graph is half configured: GRAPH_TENANT_ID, GRAPH_CLIENT_ID set but GRAPH_CLIENT_SECRET missing (set all three, or none)',
    );
  });

  it('refuses settings that contradict each other or cannot work', () => {
    expect(invalid({ GRAPH_USE_MANAGED_IDENTITY: 'true', GRAPH_CLIENT_SECRET: 's' })).toContain('not both');
    expect(invalid({ GRAPH_MANAGED_IDENTITY_CLIENT_ID: 'x' })).toContain('GRAPH_USE_MANAGED_IDENTITY is not "true"');
    expect(invalid({ GRAPH_USE_MANAGED_IDENTITY: 'yes' })).toBe('GRAPH_USE_MANAGED_IDENTITY must be "true" or "false", got "yes"');
    expect(invalid({ GRAPH_USE_MANAGED_IDENTITY: 'true', GRAPH_BASE_URL: 'http://graph.example.com/v1.0' })).toContain('GRAPH_BASE_URL must be an https:// URL');
    const secretTrio = { GRAPH_TENANT_ID: 't', GRAPH_CLIENT_ID: 'c', GRAPH_CLIENT_SECRET: 's' };
    expect(invalid({ ...secretTrio, GRAPH_AUTHORITY_HOST: 'http://127.0.0.1:1' })).toContain('GRAPH_AUTHORITY_HOST must be https://');
    expect(invalid({ ...secretTrio, GRAPH_AUTHORITY_HOST: 'login.microsoftonline.com' })).toContain('GRAPH_AUTHORITY_HOST must be a URL');
  });

  it('treats blank values as unset', () => {
    expect(meetingSchedulerFromEnv({ GRAPH_TENANT_ID: ' ', GRAPH_USE_MANAGED_IDENTITY: '' }).description).toContain('prefilled Teams links');
  });
});

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
