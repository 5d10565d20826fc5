import { liveText, readyText } from '../../src/cards/deployment-text';
import { deploymentDirectory } from '../../src/domain/deployment';
import { directory, ids } from './fixtures';
import { crew, states } from './deployment-fixtures';

const JOIN = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0';

describe('liveText (runbook 4.5)', () => {
  it('is the runbook line, word for word', () => {
    expect(liveText('2026.4.0', 'BXCI Production')).toBe('2026.4.0 live in BXCI Production.');
  });
});

describe('readyText (runbook 4.2)', () => {
  it('@mentions each validator, by Entra object id, with the meeting link', () => {
    const ready = readyText(states.ready(), { directory: crew });
    expect(ready.text).toBe(
      'Deploy 2026.4.0 to BXCI Production is ready. <at>Luis Garcia</at>, <at>Rafaella Barrocas</at>: ' +
        `Please join the deployment meeting to smoke-test BXCI Production once it is confirmed stable: [Join the meeting](${JOIN})`,
    );
    expect(ready.mentions).toEqual([
      { text: '<at>Luis Garcia</at>', mentioned: { id: ids.luis, name: 'Luis Garcia' } },
      { text: '<at>Rafaella Barrocas</at>', mentioned: { id: ids.rafaella, name: 'Rafaella Barrocas' } },
    ]);
    for (const mention of ready.mentions) expect(ready.text).toContain(mention.text);
  });

  it('uses the link it is given over the recorded one', () => {
    const other = 'https://teams.microsoft.com/l/meetup-join/other';
    expect(readyText(states.ready(), { directory: crew, meetingUrl: other }).text).toMatch(/: \[Join the meeting\]\(https:\/\/teams\.microsoft\.com\/l\/meetup-join\/other\)$/);
  });

  it('without a meeting link, says whom to ask', () => {
    const state = { ...states.ready(), meeting: undefined };
    expect(readyText(state, { directory: crew }).text).toBe(
      'Deploy 2026.4.0 to BXCI Production is ready. <at>Luis Garcia</at>, <at>Rafaella Barrocas</at>: ' +
        'Please join the deployment meeting to smoke-test BXCI Production once it is confirmed stable; ' +
        'the bot has no link for it, ask the IRC (Steven Inouye).',
    );
  });

  it('escapes a name so the mention markup stays intact', () => {
    const odd = deploymentDirectory({ ...directory, nameOf: (id) => (id === ids.luis ? 'Luis <QA> & Co' : directory.nameOf(id)) }, {
      known: Object.values(ids),
      validators: [ids.luis, ids.rafaella],
    });
    const ready = readyText(states.ready(), { directory: odd });
    expect(ready.mentions[0]).toEqual({ text: '<at>Luis &lt;QA&gt; &amp; Co</at>', mentioned: { id: ids.luis, name: 'Luis <QA> & Co' } });
    expect(ready.text).toContain('<at>Luis &lt;QA&gt; &amp; Co</at>, <at>Rafaella Barrocas</at>');
  });
});
