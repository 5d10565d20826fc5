import { createHmac, timingSafeEqual } from 'node:crypto';

// Links to an evidence pack that expire: /evidence/2026.4.0.md?expires=<unix seconds>&sig=<hex>,
// where sig is HMAC-SHA256 (EVIDENCE_LINK_KEY) over the version, format and expiry. Whoever holds
// the link can download the pack until it expires, and nothing else; the pack is built when the
// link is opened, from what the store holds then.

export type EvidenceFormat = 'md' | 'json';

export interface EvidenceLink {
  readonly url: string;
  readonly expiresAt: Date;
}

export type LinkCheck = 'ok' | 'expired' | 'forged';

export interface EvidenceLinks {
  link(version: string, format: EvidenceFormat, now: Date): EvidenceLink;
  check(version: string, format: EvidenceFormat, expires: string | undefined, sig: string | undefined, now: Date): LinkCheck;
}

export interface EvidenceLinkOptions {
  readonly key: string | Buffer;
  /** Where people reach the bot, e.g. https://lendos-bot.azurewebsites.net (no trailing slash); read when a link is made. */
  readonly baseUrl: () => string;
  readonly minutes: number;
}

export function createEvidenceLinks(options: EvidenceLinkOptions): EvidenceLinks {
  const sign = (version: string, format: EvidenceFormat, expires: string) =>
    createHmac('sha256', options.key).update(`evidence\n${version}\n${format}\n${expires}`).digest('hex');
  return {
    link(version, format, now) {
      const expiresAt = new Date(Math.floor(now.getTime() / 1000) * 1000 + options.minutes * 60_000);
      const expires = String(expiresAt.getTime() / 1000);
      const url = `${options.baseUrl()}/evidence/${version}.${format}?expires=${expires}&sig=${sign(version, format, expires)}`;
      return { url, expiresAt };
    },
    check(version, format, expires, sig, now) {
      if (!expires || !/^\d{1,12}$/.test(expires) || !sig || !/^[0-9a-f]{64}$/.test(sig)) return 'forged';
      const expected = Buffer.from(sign(version, format, expires), 'hex');
      if (!timingSafeEqual(expected, Buffer.from(sig, 'hex'))) return 'forged';
      return Number(expires) * 1000 <= now.getTime() ? 'expired' : 'ok';
    },
  };
}
