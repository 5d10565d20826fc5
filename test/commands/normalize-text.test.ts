import fc from 'fast-check';
import { normalizeTeamsText } from '../../src/commands/normalize-text';

describe('normalizeTeamsText: what Teams sends', () => {
  it.each([
    ['<p><at>lendos</at>&nbsp;approve&nbsp;rc.3</p>', 'approve rc.3'],
    ['<div><div><at>LendOS</at> APPROVE 2026.4.0-rc.3 </div></div>', 'APPROVE 2026.4.0-rc.3'],
    ['<at>LendOS Release Bot</at> status', 'status'],
    ['<at id="0">lendos</at> help approve', 'help approve'],
    // The new Teams client splits a multi-word mention into one element per word.
    ['<p><at>LendOS</at> <at>Release</at> <at>Bot</at> history 2026.4.0</p>', 'history 2026.4.0'],
    // A leading mention is how the bot was addressed, whatever name it has in that team.
    ['<p><at>Release Helper</at> status</p>', 'status'],
    // The HTML attachment form of a mention.
    ['<p><span itemscope="" itemtype="http://schema.skype.com/Mention" itemid="0">lendos</span>&nbsp;revoke rc.2</p>', 'revoke rc.2'],
    ['<p>&nbsp;</p><p><at>lendos</at>: promote rc.3</p>', 'promote rc.3'],
  ])('%j → %j', (raw, expected) => {
    expect(normalizeTeamsText(raw)).toBe(expected);
  });

  it('keeps mentions of people as their names and drops later mentions of the bot', () => {
    expect(normalizeTeamsText('<p><at>lendos</at> reject rc.3 ask <at>Luis Garcia</at> about export <at>LendOS</at></p>')).toBe(
      'reject rc.3 ask Luis Garcia about export',
    );
    expect(normalizeTeamsText('approve rc.3 <at>lendos</at>')).toBe('approve rc.3');
  });

  it('turns a multi-paragraph RC cut into one line per paragraph and <br>', () => {
    const raw =
      '<p><at>lendos</at> rc 2026.4.0-rc.3</p>\r\n<p>features: Loan export; Faster search</p>' +
      '<p>fixes:<br>- Login loop<br/>- Export &amp; import<br />- Rates</p>' +
      '<div>notes: <a href="https://wiki.lendos.example/r/2026.4.0">https://wiki.lendos.example/r/2026.4.0</a></div>' +
      '<p>known issues: none</p>';
    expect(normalizeTeamsText(raw)).toBe(
      'rc 2026.4.0-rc.3\nfeatures: Loan export; Faster search\nfixes:\n- Login loop\n- Export & import\n- Rates\n' +
        'notes: https://wiki.lendos.example/r/2026.4.0\nknown issues: none',
    );
  });

  it('turns list items into lines', () => {
    expect(normalizeTeamsText('<p>features:</p><ul><li>Loan export</li><li><b>Faster</b> search</li></ul>')).toBe(
      'features:\nLoan export\nFaster search',
    );
  });

  it('decodes entities once, named and numeric', () => {
    expect(normalizeTeamsText('a&nbsp;&amp;&nbsp;b &lt;c&gt; &quot;d&quot; &#39;e&#39; f&#160;g &#x27;h&#x27; &apos;i&apos;')).toBe(
      `a & b <c> "d" 'e' f g 'h' 'i'`,
    );
    expect(normalizeTeamsText('&amp;lt;p&amp;gt;')).toBe('&lt;p&gt;');
    expect(normalizeTeamsText('&lt;at&gt;lendos&lt;/at&gt; help')).toBe('<at>lendos</at> help');
  });

  it('leaves entities it cannot decode as written', () => {
    expect(normalizeTeamsText('x &#1114112; &#0; &#xD800; &bogus; y')).toBe('x &#1114112; &#0; &#xD800; &bogus; y');
  });

  it('turns unicode spaces into spaces and removes zero-width characters', () => {
    expect(normalizeTeamsText('appr\u200bove\u2003rc.3\u202f\u3000for\u00a0qa\ufeff')).toBe('approve rc.3 for qa');
    expect(normalizeTeamsText('\u200d\u2060help\u00ad')).toBe('help');
  });

  it('turns CRLF and CR into LF, trims each line, collapses spaces, drops empty lines', () => {
    expect(normalizeTeamsText('  rc   2026.4.0-rc.3 \r\n\r\n   features:  a ;  b  \rfixes: c\u2028known: none ')).toBe(
      'rc 2026.4.0-rc.3\nfeatures: a ; b\nfixes: c\nknown: none',
    );
  });

  it.each([
    ['@lendos approve rc.3', 'approve rc.3'],
    ['lendos approve rc.3', 'approve rc.3'],
    ['LendOS: approve rc.3', 'approve rc.3'],
    ['@LENDOS, approve rc.3', 'approve rc.3'],
    ['lendos:approve rc.3', 'approve rc.3'],
    ['@lendos release bot status', 'status'],
    ['lendos\napprove rc.3', 'approve rc.3'],
    ['lendos', ''],
  ])('removes the leading bot name typed as text: %j', (raw, expected) => {
    expect(normalizeTeamsText(raw)).toBe(expected);
  });

  it('keeps "lendos" that is not the leading bot name', () => {
    expect(normalizeTeamsText('lendosbot approve rc.3')).toBe('lendosbot approve rc.3');
    expect(normalizeTeamsText('reject rc.3 lendos export breaks')).toBe('reject rc.3 lendos export breaks');
  });

  it('keeps the case of free text', () => {
    expect(normalizeTeamsText('<p><at>lendos</at> reject rc.3 Login FAILS on Safari</p>')).toBe('reject rc.3 Login FAILS on Safari');
  });

  describe('links', () => {
    it('reads a link whose text is its URL as the URL, with &amp; decoded', () => {
      expect(normalizeTeamsText('promote rc.3 <a href="https://x.example/n?a=1&amp;b=2">https://x.example/n?a=1&amp;b=2</a>')).toBe(
        'promote rc.3 https://x.example/n?a=1&b=2',
      );
    });

    it('prefers the visible URL when the href was rewritten (Safe Links)', () => {
      expect(
        normalizeTeamsText(
          '<a href="https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fci.example%2F9">https://ci.example/9</a>',
        ),
      ).toBe('https://ci.example/9');
    });

    it('gives a bare domain its scheme back', () => {
      expect(normalizeTeamsText("<a href='http://www.lendos.example/'>www.lendos.example</a>")).toBe('http://www.lendos.example/');
    });

    it('keeps both the label and the URL of a labelled link', () => {
      expect(normalizeTeamsText('notes: <a href="https://wiki.example/2026.4.0" title="x">Release <b>notes</b></a>')).toBe(
        'notes: Release notes (https://wiki.example/2026.4.0)',
      );
    });

    it('keeps only the text of a link that is not http(s) or mailto', () => {
      expect(normalizeTeamsText('<a href="javascript:alert(1)">click</a>')).toBe('click');
    });
  });

  it('reads emoji images as their alt text', () => {
    expect(normalizeTeamsText('approve rc.3 <img alt="👍" src="https://statics.teams.cdn.office.net/x.png" itemtype="http://schema.skype.com/Emoji">')).toBe(
      'approve rc.3 👍',
    );
    expect(normalizeTeamsText('qa pass rc.3 <emoji id="1f44d" alt="👍" title=""></emoji> green')).toBe('qa pass rc.3 👍 green');
  });

  it('keeps angle-bracket text that is not HTML it knows', () => {
    expect(normalizeTeamsText('reject rc.3 <reason> is missing')).toBe('reject rc.3 <reason> is missing');
    expect(normalizeTeamsText('a < b and c > d')).toBe('a < b and c > d');
  });

  it('keeps the text of elements Teams never closed', () => {
    expect(normalizeTeamsText('<at>lendos approve rc.3')).toBe('approve rc.3');
    expect(normalizeTeamsText('see <a href="https://x.example">the run')).toBe('see the run');
  });

  it.each(['', '   ', '<p></p>', '<p>&nbsp;</p><div><br></div>', '<at>lendos</at>', '\u200b\u00a0'])('reads %j as empty', (raw) => {
    expect(normalizeTeamsText(raw)).toBe('');
  });
});

describe('normalizeTeamsText: properties', () => {
  const fragment = fc.oneof(
    fc.constantFrom(
      '<p>', '</p>', '<div>', '</div>', '<span class="x">', '</span>', '<br>', '<br/>', '<br />', '<at>', '</at>',
      '<at id="0">lendos</at>', '<a href="https://x.example/?a=1&amp;b=2">', '</a>', '<a href=\'mailto:x@y.example\'>', '<b>', '</b>',
      '<ul><li>', '</li>', '<img alt="👍">', '<emoji alt="x">', '<span itemtype="http://schema.skype.com/Mention">', '<reason>',
      '&nbsp;', '&amp;', '&lt;', '&gt;', '&quot;', '&#39;', '&#160;', '&#x27;', '&#99999999;', '&#x110000;', '&#xD800;', '&',
      '<', '>', '"', "'", '=', '\r\n', '\r', '\n', '\t', '\u00a0', '\u200b', '\ufeff', '\u2028', '\u3000', '@lendos', 'lendos:',
      'approve', 'rc.3', '2026.4.0-rc.3', 'features:', ';', '- ', '• ', ' ', '  ',
    ),
    fc.string({ unit: 'binary', maxLength: 8 }),
  );
  const htmlish = fc.array(fragment, { maxLength: 40 }).map((parts) => parts.join(''));
  const anything = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 100 }), htmlish);

  it('never throws and always returns tidy lines', () => {
    fc.assert(
      fc.property(anything, (raw) => {
        const text = normalizeTeamsText(raw);
        expect(typeof text).toBe('string');
        expect(text).not.toMatch(/[\r\u00a0\u200b\u200c\u200d\u2060\ufeff\t\u2028\u2029\u3000]/);
        for (const line of text === '' ? [] : text.split('\n')) {
          expect(line).not.toBe('');
          expect(line).toBe(line.trim());
          expect(line).not.toContain('  ');
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps plain words and their case, whatever HTML wraps them', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9.-]{0,12}$/).filter((w) => !/^@?lendos$/i.test(w));
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 8 }),
        fc.constantFrom('<p>%</p>', '<div><div><at>lendos</at> %</div></div>', '%', '@lendos %', '<p>%<br></p>', '<span>%</span>'),
        fc.constantFrom(' ', '&nbsp;', '  ', '\u00a0', ' \u200b'),
        (words, wrapper, space) => {
          expect(normalizeTeamsText(wrapper.replace('%', words.join(space)))).toBe(words.join(' '));
        },
      ),
    );
  });
});
