import { AreaDecision, Directory, DirectoryRole, RcState, ReleaseState } from '../../src/domain/types';

// Release states built by hand from the domain types (decide() is not what is under test here),
// with the runbook's five leads as in config/lendos.example.json.

export const ids = {
  luis: '00000000-0000-0000-0000-0000000000a1',
  rafaella: '00000000-0000-0000-0000-0000000000a2',
  steven: '00000000-0000-0000-0000-0000000000a3',
  bosko: '00000000-0000-0000-0000-0000000000a4',
  jake: '00000000-0000-0000-0000-0000000000a5',
} as const;

const names: Record<string, string> = {
  [ids.luis]: 'Luis Garcia',
  [ids.rafaella]: 'Rafaella Barrocas',
  [ids.steven]: 'Steven Inouye',
  [ids.bosko]: 'Bosko Kocev',
  [ids.jake]: 'Jake Edgington',
};

const areas = [
  { key: 'product', name: 'Product', leadId: ids.luis },
  { key: 'qa', name: 'QA', leadId: ids.rafaella },
  { key: 'daml', name: 'DAML', leadId: ids.steven },
  { key: 'stream', name: 'Stream', leadId: ids.bosko },
  { key: 'platform', name: 'Platform', leadId: ids.jake },
] as const;

const roles: Record<DirectoryRole, readonly string[]> = {
  platform: [ids.jake],
  qaLead: [ids.rafaella],
  irc: [ids.steven],
};

export const directory: Directory = {
  areas,
  areasLedBy: (id) => areas.filter((a) => a.leadId === id).map((a) => a.key),
  isPlatform: (id) => roles.platform.includes(id),
  isQaLead: (id) => roles.qaLead.includes(id),
  isIrc: (id) => roles.irc.includes(id),
  nameOf: (id) => names[id] ?? id,
  peopleWith: (role) => roles[role],
};

export const timeZone = 'America/New_York';
export const view = { directory, timeZone };

export const approved = (by: string, at: string): AreaDecision => ({ decision: 'approved', by, at });
export const rejected = (by: string, at: string, reason: string): AreaDecision => ({ decision: 'rejected', by, at, reason });

export const rc3Base: RcState = {
  number: 3,
  hotfix: false,
  cutBy: ids.jake,
  cutAt: '2026-04-14T14:05:00Z', // 10:05 EDT
  contents: {
    features: ['Borrower portal: upload documents from mobile', 'Stream: replay from checkpoint'],
    fixes: ['Loan ledger rounding on partial payments'],
    notesUrl: 'https://github.com/lendos/lendos/releases/tag/2026.4.0-rc.3',
    knownIssues: ['Safari 16 shows the upload dialog twice'],
  },
  status: 'open',
  decisions: {},
};

/** Three of five approved, QA passed. */
export const awaitingState: ReleaseState = {
  version: '2026.4.0',
  revision: 12,
  rcs: [
    {
      ...rc3Base,
      qa: {
        result: 'pass',
        summary: 'All 212 regression tests green',
        by: ids.rafaella,
        at: '2026-04-14T19:30:00Z',
      },
      decisions: {
        product: approved(ids.luis, '2026-04-14T20:00:00Z'),
        daml: approved(ids.steven, '2026-04-14T20:15:00Z'),
        stream: approved(ids.bosko, '2026-04-15T13:00:00Z'),
      },
    },
  ],
};

export const blockedState: ReleaseState = {
  version: '2026.4.0',
  revision: 13,
  rcs: [
    {
      ...rc3Base,
      qa: {
        result: 'fail',
        summary: 'https://lendos.example/qa/runs/2026.4.0-rc.3',
        by: ids.rafaella,
        at: '2026-04-14T19:30:00Z',
      },
      decisions: {
        product: approved(ids.luis, '2026-04-14T20:00:00Z'),
        qa: rejected(ids.rafaella, '2026-04-14T19:45:00Z', 'login fails on Safari'),
      },
    },
  ],
};

const allFive = {
  product: approved(ids.luis, '2026-04-14T20:00:00Z'),
  qa: approved(ids.rafaella, '2026-04-14T20:05:00Z'),
  daml: approved(ids.steven, '2026-04-14T20:15:00Z'),
  stream: approved(ids.bosko, '2026-04-15T13:00:00Z'),
  platform: approved(ids.jake, '2026-04-15T13:30:00Z'),
};

export const readyState: ReleaseState = {
  version: '2026.4.0',
  revision: 15,
  rcs: [{ ...rc3Base, decisions: allFive }],
};

export const supersededState: ReleaseState = {
  version: '2026.4.0',
  revision: 16,
  rcs: [
    {
      ...rc3Base,
      status: 'superseded',
      supersededBy: 4,
      decisions: { product: approved(ids.luis, '2026-04-14T20:00:00Z') },
    },
    { ...rc3Base, number: 4, cutAt: '2026-04-15T14:00:00Z', decisions: {} },
  ],
};

export const promotedState: ReleaseState = {
  version: '2026.4.0',
  revision: 17,
  rcs: [{ ...rc3Base, status: 'promoted', decisions: allFive }],
  promotion: {
    rc: 3,
    by: ids.jake,
    at: '2026-04-15T14:00:00Z', // 10:00 EDT
    notesUrl: 'https://github.com/lendos/lendos/releases/tag/2026.4.0',
  },
};

export const hotfixState: ReleaseState = {
  version: '2026.4.1',
  revision: 1,
  rcs: [
    {
      ...rc3Base,
      number: 1,
      hotfix: true,
      contents: { features: [], fixes: ['Payment webhook retries'], knownIssues: [] },
    },
  ],
};
