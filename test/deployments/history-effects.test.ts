import { Harness, cardText, exampleConfig, people, startHarness } from '../helpers/bot-harness';
import { LoopbackGitHub, startLoopbackGitHub } from '../helpers/loopback-github';
import { LoopbackGraph, loopbackMeetingScheduler, startLoopbackGraph } from '../helpers/loopback-graph';
import { createGitHubBugTracker } from '../../src/integrations/bug-tracker';
import { expectValidCard } from '../teams/teams-view';
import { PRODUCTION_SUPPORT, promoteRelease, refusalsIn, scheduleText, sentCards } from './deployment-view';

// `history` tells what the bot learned while delivering, not only what people typed: the meeting
// Graph created (with its join link) and the GitHub issue filed for a bug (with its link), because
// both are events of the deployment now. Before, the outbox patched the bug's link onto the state
// without an event, so the trail never showed it. Over real HTTP, with loopback Graph and GitHub.

const config = exampleConfig();
const mailboxes = config.people.map((p) => ({ aadObjectId: p.aadObjectId, email: p.email!, name: p.name }));

describe('history shows the meeting and the GitHub issue of a bug', () => {
  let h: Harness;
  let github: LoopbackGitHub;
  let graph: LoopbackGraph;
  let clock = new Date('2026-04-13T12:00:00Z'); // Mon 13 Apr 2026, 08:00 EDT

  beforeAll(async () => {
    github = await startLoopbackGitHub();
    graph = await startLoopbackGraph({ mailboxes });
    h = await startHarness({
      now: () => clock,
      meetings: loopbackMeetingScheduler(graph),
      bugTracker: createGitHubBugTracker({ baseUrl: github.url, token: github.token, owner: github.owner, repo: github.repo }),
    });
  });
  afterAll(async () => {
    await h.close();
    await graph.close();
    await github.close();
  });

  test('the meeting line carries its join link, the filed issue names its bug and links it', async () => {
    const thread = await promoteRelease(h, '2026.4.0');
    const inThread = { conversationId: thread.conversationId };
    for (const [who, text, at] of [
      [people.steven, scheduleText('2026.4.0', 'BXCI Production', '2026-04-14 22:00')],
      [people.steven, 'confirm on-call'],
      [people.steven, 'start', '2026-04-15T02:00:00Z'],
    ] as const) {
      if (at) clock = new Date(at);
      expect(refusalsIn((await h.say(who, text, inThread)).calls)).toEqual([]);
    }
    clock = new Date('2026-04-15T02:20:00Z');
    const bug = await h.say(people.rafaella, 'bug Export to CSV times out', { conversationId: PRODUCTION_SUPPORT });
    expect(refusalsIn(bug.calls)).toEqual([]);

    const [meeting] = [...graph.events.values()].filter((e) => e.subject === 'Deploy 2026.4.0 to BXCI Production');
    const [issue] = github.issues;
    expect(meeting?.joinUrl).toMatch(/^https:\/\//);
    expect(issue?.html_url).toMatch(/^https?:\/\//);

    const { calls } = await h.say(people.luis, 'history 2026.4.0', inThread);
    const [card] = sentCards(calls, thread.conversationId);
    expectValidCard(card);
    const text = cardText(card);
    expect(text).toContain(`The meeting for Deploy 2026.4.0 to BXCI Production was created: ${meeting!.joinUrl}`);
    expect(text).toContain('Rafaella Barrocas reported a bug after Deploy 2026.4.0 to BXCI Production: Export to CSV times out');
    expect(text).toContain(`Filed GitHub issue #${issue!.number} for the bug “Export to CSV times out” after Deploy 2026.4.0 to BXCI Production: ${issue!.html_url}`);
    // In the order they happened: the meeting before the start, the issue right after its report.
    const order = ['was created', 'started Deploy', 'reported a bug', 'Filed GitHub issue'].map((line) => text.indexOf(line));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});
