import { formatUsage, parseTeamsMessage } from '../../src/commands/parse-command';
import { helpCardData } from '../../src/cards/help-card';
import { rcCardData } from '../../src/cards/rc-card';
import { refusalCardData } from '../../src/cards/refusal-card';
import { createCardRenderer } from '../../src/cards/render';
import { scheduleFormData } from '../../src/cards/schedule-form-card';
import { trackerData } from '../../src/cards/tracker-card';
import { promotionText } from '../../src/cards/promotion-card';
import { readyText } from '../../src/cards/deployment-text';
import { noticeOf } from '../../src/teams/card-action-handler';
import { OPTIONS } from '../commands/fixtures';
import { PARSE_REFUSALS, catalogue } from './card-catalogue';
import { nodes } from './card-query';
import { shownByTeams, visibleLines } from '../helpers/teams-markdown';
import { businessHours, crew, dview, inWindow, people, play, prod, rafaella, STEP } from './deployment-fixtures';
import { awaitingState, ids, view } from './fixtures';

// What a person reads in Teams (test/helpers/teams-markdown.ts reads cards the way Teams renders them).

const render = createCardRenderer();

describe('what Teams would mangle never reaches a card', () => {
  const cards = catalogue();

  it('no TextBlock or fact holds a raw <tag> (other than a mention) or a lone line break', () => {
    const problems = cards.flatMap(({ name, card }) =>
      nodes(card).flatMap((n) => {
        const markdown =
          n.type === 'TextBlock' ? [String(n.text)] : n.type === 'FactSet' ? (n.facts as { title: string; value: string }[]).flatMap((f) => [f.title, f.value]) : [];
        return markdown.flatMap((text) => [
          ...(/<(?!\/?at>)[A-Za-z/]/.test(text) ? [`${name}: a tag Teams would drop in "${text.slice(0, 60)}"`] : []),
          ...(/(^|[^\n])\n(?!\n)/.test(text) ? [`${name}: a line break Teams would join in "${text.slice(0, 60)}"`] : []),
        ]);
      }),
    );
    expect(problems).toEqual([]);
  });

  it('no plain-text run holds a line break (it would collapse to a space)', () => {
    const runs = cards.flatMap(({ name, card }) =>
      nodes(card)
        .filter((n) => n.type === 'TextRun' && String(n.text).includes('\n'))
        .map((n) => `${name}: "${String(n.text).slice(0, 60)}"`),
    );
    expect(runs).toEqual([]);
  });

  it('the check notices both: a raw <rc> vanishes and one line break joins two lines', () => {
    expect(shownByTeams('Usage: approve <rc>\nExample: approve rc.3')).toEqual(['Usage: approve  Example: approve rc.3']);
  });
});

describe('hints and usages read as written', () => {
  it.each(PARSE_REFUSALS)('the refusal of "%s" shows the reason, then every usage line with its <placeholders>', (typed) => {
    const parsed = parseTeamsMessage(`<at>lendos</at> ${typed}`, OPTIONS);
    if (parsed.ok) throw new Error('expected a refusal');
    const card = render('refusal', refusalCardData({ reason: parsed.error, hint: parsed.usage }));
    const lines = visibleLines(card);
    expect(lines).toContain(parsed.error);
    const usage = parsed.usage.split('\n');
    const at = lines.indexOf(usage[0]!);
    expect(at).toBeGreaterThan(-1);
    expect(lines.slice(at, at + usage.length)).toEqual(usage);
  });

  it('approve without an RC: "Usage: approve <rc> [for <area>] [<comment>]" on its own line, and what <rc> is', () => {
    const parsed = parseTeamsMessage('approve three', OPTIONS);
    if (parsed.ok) throw new Error('expected a refusal');
    const lines = visibleLines(render('refusal', refusalCardData({ reason: parsed.error, hint: parsed.usage })));
    expect(lines).toEqual(
      expect.arrayContaining([
        'Usage: approve <rc> [for <area>] [<comment>]',
        'Example: approve rc.3 looks good 👍',
        '<rc> is rc.N inside the release thread (for example rc.3), or the full version anywhere (for example 2026.4.0-rc.3).',
      ]),
    );
  });

  it('a refused click shows its hint under the reason on the card itself, usage lines intact', () => {
    const hint = formatUsage('reject');
    const card = render('rc', rcCardData(awaitingState, 3, { ...view, notice: noticeOf({ reason: 'reject needs a reason.', hint }) }));
    const lines = visibleLines(card);
    const at = lines.indexOf('reject needs a reason.');
    expect(lines.slice(at, at + 3)).toEqual(['reject needs a reason.', `Instead: ${hint.split('\n')[0]}`, hint.split('\n')[1]]);
  });

  it('the schedule form shows a refused submit with its usage, line by line', () => {
    const hint = formatUsage('schedule');
    const error = noticeOf({ reason: 'The window overlaps business hours.', hint });
    const card = render(
      'schedule-form',
      scheduleFormData({ ...dview, directory: crew, businessHours, releases: [{ version: '2026.4.0', hotfix: false }], environments: [prod], people, error }),
    );
    const lines = visibleLines(card);
    expect(lines).toContain('🚫 The window overlaps business hours.');
    for (const line of hint.split('\n').slice(1)) expect(lines).toContain(line);
    expect(lines).toContain(`Instead: ${hint.split('\n')[0]}`);
  });

  it('the help card shows every line of every syntax and example, placeholders included', () => {
    for (const id of [ids.jake, ids.steven, ids.rafaella, 'someone-else']) {
      const data = helpCardData({ id, name: 'Ana Lopes' }, crew);
      const lines = visibleLines(render('help', data));
      for (const command of data.yours) {
        for (const line of command.syntax.split('\n')) expect(lines).toContain(line);
        const [first, ...rest] = command.example.split('\n');
        expect(lines).toContain(`e.g. ${first}`);
        for (const line of rest) expect(lines).toContain(line);
      }
      for (const command of data.others) for (const line of command.syntaxLines) expect(lines).toContain(line);
    }
    const jake = visibleLines(render('help', helpCardData({ id: ids.jake, name: 'Jake' }, crew)));
    expect(jake).toContain('rc <YEAR.MONTH.PATCH-rc.N> [hotfix]');
    expect(jake).toContain('notes: <release notes link>');
  });

  it('text typed in Teams as &lt;notes&gt; shows on the tracker as <notes>', () => {
    const parsed = parseTeamsMessage('<p><at>lendos</at> smoke fail &lt;notes&gt; page returns 500</p>', OPTIONS);
    if (!parsed.ok || parsed.command.name !== 'smoke') throw new Error('expected a smoke command');
    const state = play([
      ...[STEP.schedule, STEP.meeting, STEP.confirm, STEP.start, STEP.ready, STEP.stable],
      [rafaella, { type: 'smoke', result: 'fail', notes: parsed.command.notes }, inWindow(77)],
    ]);
    const lines = visibleLines(render('tracker', trackerData(state, { ...dview, now: inWindow(78) })));
    expect(lines).toContain('Failed · 23:17 EDT — <notes> page returns 500');
  });
});

describe('long URLs are named links', () => {
  const urls = [
    'https://github.com/lendos/lendos/releases/tag/2026.4.0-rc.3',
    'https://github.com/lendos/lendos/releases/tag/2026.4.0',
    'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0',
    'https://teams.microsoft.com/l/message/19%3Aabc/1',
    'https://lendos.example/qa/runs/2026.4.0-rc.3',
    'https://github.com/lendos/lendos/issues/12',
  ];

  it('no card spells out a release-notes, meeting, thread, QA report or issue URL; each is behind a named link or button', () => {
    const spelled = catalogue().flatMap(({ name, card }) =>
      visibleLines(card)
        .filter((line) => urls.some((url) => line.includes(url)))
        .map((line) => `${name}: ${line}`),
    );
    expect(spelled).toEqual([]);
  });

  it('the promotion line and the ready line name their links: "Release notes", "Join the meeting"', () => {
    const notes = 'https://wiki.lendos.example/releases/2026.4.0';
    expect(promotionText('2026.4.0', 3, notes)).toBe(`2026.4.0-rc.3 promoted to 2026.4.0. [Release notes](${notes})`);
    expect(shownByTeams(promotionText('2026.4.0', 3, notes))).toEqual(['2026.4.0-rc.3 promoted to 2026.4.0. Release notes']);
    const state = play([STEP.schedule, STEP.meeting, STEP.confirm, STEP.start, STEP.ready]);
    const ready = readyText(state, { directory: crew });
    expect(ready.text).toContain(`[Join the meeting](${state.meeting!.joinUrl})`);
    expect(shownByTeams(ready.text).join(' ')).not.toContain('https://');
  });
});

