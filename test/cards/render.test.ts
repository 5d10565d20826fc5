import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isBotError } from '../../src/errors';
import { CARD_NAMES } from '../../src/cards/card-data';
import { rcCardData } from '../../src/cards/rc-card';
import { cardAttachment, createCardRenderer, defaultCardsDir } from '../../src/cards/render';
import { awaitingState, view } from './fixtures';

describe('createCardRenderer', () => {
  const render = createCardRenderer();

  it('finds cards/ at the repository root and has a template for every card', () => {
    expect(defaultCardsDir()).toBe(path.resolve(__dirname, '../../cards'));
    expect(CARD_NAMES).toEqual([
      'rc',
      'promotion',
      'help',
      'refusal',
      'status',
      'history',
      'schedule-form',
      'company-notice',
      'on-call',
      'tracker',
      'evidence',
      'metrics',
    ]);
  });

  it('renders the same card for the same data, and leaves the data alone', () => {
    const data = rcCardData(awaitingState, 3, view);
    const copy = JSON.parse(JSON.stringify(data));
    expect(render('rc', data)).toEqual(render('rc', data));
    expect(data).toEqual(copy);
  });

  it('keeps text that people typed verbatim, even when it looks like a binding', () => {
    const card = render('refusal', { title: "Can't do that", reason: 'Your reason "${oops}" is fine', hint: '' });
    expect(JSON.stringify(card)).toContain('Your reason \\"${oops}\\" is fine');
  });

  it('wraps a card as a Bot Framework attachment', () => {
    const card = render('refusal', { title: "Can't do that", reason: 'No.', hint: '' });
    expect(cardAttachment(card)).toEqual({ contentType: 'application/vnd.microsoft.card.adaptive', content: card });
  });

  describe('with broken templates', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'lendos-cards-'));
      cpSync(defaultCardsDir(), dir, { recursive: true });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('fails at creation when a template is missing or is not JSON', () => {
      rmSync(path.join(dir, 'history.json'));
      expect(() => createCardRenderer(dir)).toThrow(/history\.json/);
      writeFileSync(path.join(dir, 'history.json'), '{ "type": ');
      expect(() => createCardRenderer(dir)).toThrow(/Can't load the card template .*history\.json/);
    });

    it('refuses to return a card with a binding the data did not fill', () => {
      writeFileSync(
        path.join(dir, 'refusal.json'),
        JSON.stringify({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: '${reason} ${reasn}' }] }),
      );
      const broken = createCardRenderer(dir);
      let thrown: unknown;
      try {
        broken('refusal', { title: 't', reason: 'r', hint: '' });
      } catch (error) {
        thrown = error;
      }
      expect(isBotError(thrown, 'invalid')).toBe(true);
      expect((thrown as Error).message).toBe('cards/refusal.json left bindings unresolved: ${reasn}');
    });
  });
});
