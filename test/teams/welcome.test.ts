import { GENERAL, Harness, TEAM, people, startHarness } from '../helpers/bot-harness';
import { RecordedCall } from '../helpers/loopback-connector';
import { waitFor } from '../helpers/wait-for';
import { WelcomeDocument, welcomeKey } from '../../src/teams/welcome';

// When the bot is added to a team, a group chat or a personal chat it says what to do first, once
// per conversation: Teams announces one install twice (conversationUpdate and installationUpdate),
// redelivers, and may install again; the record of the welcome is in the store, so a restart
// changes nothing, and a crash before the post still posts it once.

const BOT = { id: '28:lendos-bot', name: 'lendos' };

const botAdded = { type: 'conversationUpdate', membersAdded: [{ id: BOT.id }], recipient: BOT };
const installed = { type: 'installationUpdate', action: 'add', recipient: BOT };
const teamConversation = (id: string) => ({
  conversation: { id, isGroup: true, conversationType: 'channel', tenantId: '' },
  channelData: { team: { id: TEAM }, eventType: 'teamMemberAdded', tenant: { id: '' } },
});

const welcomesIn = (calls: readonly RecordedCall[], conversationId: string) =>
  calls.filter((call) => call.kind === 'send' && call.conversationId === conversationId && /I'm @lendos/.test(call.activity.text ?? ''));

describe('the welcome', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });
  const inTeam = (id: string) => {
    const shape = teamConversation(id);
    return {
      conversation: { ...shape.conversation, tenantId: h.config.tenantId },
      channelData: { ...shape.channelData, tenant: { id: h.config.tenantId } },
    };
  };

  it('added to a team: one short post in its General channel saying to register #engineering and to type help', async () => {
    const added = await h.activity(people.jake, GENERAL, { ...botAdded, ...inTeam(GENERAL) });
    expect(added.status).toBe(200);
    const [welcome, ...more] = welcomesIn(added.calls, GENERAL);
    expect(more).toEqual([]);
    expect(added.calls).toHaveLength(1);
    expect(welcome!.activity.text).toBe(
      "👋 I'm @lendos: I run the LendOS release runbook in this team. To start, someone in the Platform team or an IRC " +
        'types `@lendos register engineering` in #engineering (and `@lendos register general` in #general, ' +
        '`@lendos register production-support` in #production-support). Anyone can type `@lendos help` to see what they can do.',
    );
  });

  it('once per conversation: the installationUpdate of the same install, a redelivery and a reinstall after a restart stay silent', async () => {
    const first = await h.activity(people.jake, GENERAL, { ...botAdded, ...inTeam(GENERAL) }, { activityId: 'added-1' });
    expect(welcomesIn(first.calls, GENERAL)).toHaveLength(1);

    const install = await h.activity(people.jake, GENERAL, { ...installed, ...inTeam(GENERAL) });
    const redelivered = await h.activity(people.jake, GENERAL, { ...botAdded, ...inTeam(GENERAL) }, { activityId: 'added-1' });
    expect(install.status).toBe(200);
    expect(install.calls).toEqual([]);
    expect(redelivered.calls).toEqual([]);

    await h.restart();
    const again = await h.activity(people.steven, GENERAL, { ...installed, ...inTeam(GENERAL) });
    expect(again.calls).toEqual([]);
    expect(welcomesIn(h.connector.calls, GENERAL)).toHaveLength(1);
  });

  it('a person joining the team, or an upgrade of the app, is no install: no welcome', async () => {
    const joined = await h.activity(people.jake, GENERAL, { ...botAdded, membersAdded: [{ id: '29:someone', aadObjectId: people.luis.aadObjectId }], ...inTeam(GENERAL) });
    const upgraded = await h.activity(people.jake, GENERAL, { ...installed, action: 'add-upgrade', ...inTeam(GENERAL) });
    expect(joined.calls).toEqual([]);
    expect(upgraded.calls).toEqual([]);
  });

  it('added to a personal chat or a group chat: the welcome for there, once each', async () => {
    const personal = 'a:personal-luis';
    const chat = '19:groupchat0001@thread.v2';
    const p1 = await h.activity(people.luis, personal, installed, { personal: true });
    const p2 = await h.activity(people.luis, personal, botAdded, { personal: true });
    expect(welcomesIn(p1.calls, personal).map((c) => c.activity.text)).toEqual([
      "👋 I'm @lendos: I run the LendOS release runbook. Type `help` to see what you can do; here you can leave out @lendos.",
    ]);
    expect(p2.calls).toEqual([]);

    const groupChat = { conversation: { id: chat, isGroup: true, conversationType: 'groupChat', tenantId: h.config.tenantId }, channelData: { tenant: { id: h.config.tenantId } } };
    const g1 = await h.activity(people.steven, chat, { ...botAdded, ...groupChat });
    const g2 = await h.activity(people.steven, chat, { ...installed, ...groupChat });
    expect(welcomesIn(g1.calls, chat).map((c) => c.activity.text)).toEqual([
      "👋 I'm @lendos: I run the LendOS release runbook. Type `@lendos help` to see what you can do; in this chat, start every command with @lendos.",
    ]);
    expect(g2.calls).toEqual([]);
  });

  it('an install in another tenant is not welcomed', async () => {
    const other = { conversation: { id: GENERAL, isGroup: true, conversationType: 'channel', tenantId: 'another-tenant' }, channelData: { team: { id: TEAM }, tenant: { id: 'another-tenant' } } };
    const added = await h.activity(people.jake, GENERAL, { ...botAdded, ...other });
    expect(added.calls).toEqual([]);
  });

  it('Teams down when the bot is added, and the process gone before it could post: the next one posts the welcome, once', async () => {
    h.connector.failNext(1_000_000);
    const added = await h.activity(people.jake, GENERAL, { ...botAdded, ...inTeam(GENERAL) });
    expect(added.status).toBe(200);
    expect(welcomesIn(h.connector.calls, GENERAL)).toEqual([]);
    await h.restart();
    h.connector.failNext(0);
    await waitFor(() => welcomesIn(h.connector.calls, GENERAL).length > 0, 'the welcome after the restart');
    // Once acknowledged nothing is left to post: no later sweep can post it again.
    const { pk, id } = welcomeKey(GENERAL);
    let pending: readonly unknown[] | undefined;
    await waitFor(() => {
      void h.store.read<WelcomeDocument>(pk, id).then((doc) => (pending = doc?.doc.outbox));
      return pending !== undefined && pending.length === 0;
    }, 'the welcome acknowledged');
    await h.settle();
    expect(welcomesIn(h.connector.calls, GENERAL)).toHaveLength(1);
  });
});
