import { ReleaseDocument, releaseKey } from '../../src/app/documents';
import { ENGINEERING, Person, people } from '../helpers/bot-harness';
import { BotProcess } from '../helpers/bot-process';
import { RecordedCall } from '../helpers/loopback-connector';
import { Answer, CardRef, Fleet, StoreKind, pause, startFleet } from '../instances/fleet';
import { LEADS, ownButtonData, rcCutText } from '../teams/teams-view';
import { Figures, Journal, PlannedRelease, Purpose, StoredRelease, tally } from './figures';
import { Random, seededRandom } from './random';
import { pidOwningPort } from './socket-owner';

// One chaos run: bot instances as real processes on one store, a Bot Connector that fails a share
// of calls, Teams redelivering activities (to another instance too), people double-clicking and
// acting the instant a thread appears, and SIGKILLs — at random moments, and right after Teams
// took a post but before its sender heard back (the post→acknowledge window). Killed instances are
// restarted. Then everything settles, each thread is probed, and the figures are counted.

export interface ChaosOptions {
  readonly store: StoreKind;
  readonly seed: number;
  readonly instances: number;
  readonly releases: number;
  /** Share of Bot Connector calls that fail (5xx, and some 429 with Retry-After). */
  readonly failureRate: number;
  /** Share of activities Teams delivers twice. */
  readonly redeliveryRate: number;
  readonly kills: number;
  /** The workload stops being driven after this long; settling and probing follow. */
  readonly workloadMs: number;
  readonly progress: (line: string) => void;
}

export interface ChaosResult {
  readonly figures: Figures;
  readonly journal: Journal;
  readonly calls: readonly RecordedCall[];
  readonly elapsedMs: number;
}

interface Slot {
  readonly name: string;
  bot?: BotProcess;
  generation: number;
  dying: boolean;
  restarting?: Promise<void>;
}

const DELIVERY_GIVES_UP_MS = 25_000;
const WINDOW_KINDS: readonly RecordedCall['kind'][] = ['createConversation', 'send', 'update', 'reply'];

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const started = Date.now();
  const root = seededRandom(options.seed);
  const faultRandom = root.fork();
  const routeRandom = root.fork();
  const killRandom = root.fork();
  const releaseRandoms = Array.from({ length: options.releases }, () => root.fork());
  const journal: Journal = {
    releases: [],
    activities: [],
    answers: [],
    kills: [],
    redeliveries: 0,
    redeliveredElsewhere: 0,
    doubleClicks: 0,
    unanswered: 0,
    retriedAfterKill: 0,
    restarts: 0,
    faults: {},
    pendingAtEnd: 0,
  };
  let faultsOn = true;
  let killing = true;
  let activitySeq = 0;
  const armed: Array<{ kind: RecordedCall['kind']; fired: () => void }> = [];
  const threadWaiters = new Map<string, (call: RecordedCall) => void>();
  const slots: Slot[] = Array.from({ length: options.instances }, (_, i) => ({ name: String.fromCharCode(65 + i), generation: 0, dying: false }));

  const fleet: Fleet = await startFleet({
    store: options.store,
    cosmos: { keepAlive: true },
    connector: {
      fault: () => {
        if (!faultsOn || !faultRandom.chance(options.failureRate)) return undefined;
        const fault = faultRandom.chance(0.2) ? { status: 429, retryAfterSeconds: 1 } : { status: faultRandom.pick([500, 502, 503]) };
        journal.faults[fault.status] = (journal.faults[fault.status] ?? 0) + 1;
        return fault;
      },
      onCall: async (call, senderPort) => {
        if (call.kind === 'createConversation') {
          for (const [rc, resolve] of threadWaiters) {
            if (!JSON.stringify(call.activity).includes(`Release ${rc}`)) continue;
            threadWaiters.delete(rc);
            resolve(call); // people see the thread now, before the bot has heard back
          }
        }
        const at = armed.findIndex((kill) => kill.kind === call.kind);
        if (at < 0 || !killing) return;
        const [kill] = armed.splice(at, 1);
        const pids = slots.flatMap((slot) => (slot.bot?.running && !slot.dying ? [slot.bot.pid] : []));
        const pid = pidOwningPort(senderPort, pids);
        const slot = slots.find((s) => s.bot?.pid === pid);
        if (slot) await killSlot(slot, 'window', call.kind);
        kill!.fired();
      },
    },
  });

  const live = () => slots.filter((slot) => slot.bot?.running && !slot.dying).map((slot) => slot.bot!);

  async function startSlot(slot: Slot): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      slot.generation += 1;
      try {
        slot.bot = await fleet.start(slot.generation === 1 ? slot.name : `${slot.name}${slot.generation}`);
        return;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  }

  async function killSlot(slot: Slot, how: 'random' | 'window', kind?: RecordedCall['kind']): Promise<void> {
    const bot = slot.bot;
    if (!bot?.running || slot.dying) return;
    slot.dying = true;
    journal.kills.push({ instance: bot.name, how, kind });
    options.progress(`  kill ${bot.name} (${how === 'random' ? 'at a random moment' : `between a ${kind} and its acknowledgement`})`);
    await bot.kill('SIGKILL');
    slot.dying = false;
    slot.restarting = (async () => {
      await pause(killRandom.int(200, 1_000));
      await startSlot(slot);
      journal.restarts += 1;
      slot.restarting = undefined;
    })();
  }

  /**
   * Delivers one activity as Teams and its load balancer do: to a live instance (not `avoid` when
   * another lives), again to another when the one it reached dies under it. `picked` learns each target.
   */
  async function deliver(send: (bot: BotProcess) => Promise<Answer>, avoid?: BotProcess, picked?: (bot: BotProcess) => void): Promise<BotProcess | undefined> {
    const giveUp = Date.now() + DELIVERY_GIVES_UP_MS;
    while (Date.now() < giveUp) {
      const targets = live();
      const choices = targets.length > 1 && avoid ? targets.filter((bot) => bot !== avoid) : targets;
      if (choices.length === 0) {
        await pause(100);
        continue;
      }
      const bot = routeRandom.pick(choices);
      picked?.(bot);
      try {
        const answer = await send(bot);
        journal.answers.push({ activityId: answer.activityId, status: answer.status, body: answer.body });
        return bot;
      } catch {
        journal.retriedAfterKill += 1; // the instance died under it: Teams tries again
        await pause(150);
      }
    }
    journal.unanswered += 1;
    return undefined;
  }

  /** Sends an activity, and with the redelivery rate sends it again (same id) a moment later, preferably to another instance. */
  async function sendActivity(random: Random, send: (bot: BotProcess) => Promise<Answer>): Promise<void> {
    const again = random.chance(options.redeliveryRate);
    const delay = random.int(0, 400);
    let firstBot: BotProcess | undefined;
    const firstDelivery = deliver(send, undefined, (bot) => (firstBot = bot));
    if (!again) {
      await firstDelivery;
      return;
    }
    await pause(delay);
    journal.redeliveries += 1;
    const secondBot = await deliver(send, firstBot);
    if (secondBot && secondBot !== firstBot) journal.redeliveredElsewhere += 1;
    await firstDelivery;
  }

  const nextId = () => `chaos-${options.seed}-${(activitySeq += 1)}`;

  function typed(random: Random, person: Person, text: string, conversationId: string, purpose: Purpose = 'command'): Promise<void> {
    const id = nextId();
    journal.activities.push({ id, kind: 'typed', purpose, person: person.name, command: text.split('\n')[0]!, conversationId });
    return sendActivity(random, (bot) => fleet.say(bot, person, text, { conversationId, activityId: id }));
  }

  async function click(random: Random, person: Person, card: CardRef, verb: string, data: Record<string, unknown>): Promise<void> {
    const double = random.chance(0.3);
    const gap = random.int(0, 150);
    const one = (secondClick: boolean) => {
      const id = nextId();
      journal.activities.push({ id, kind: 'click', purpose: 'command', person: person.name, command: verb, conversationId: card.conversationId, secondClick, doubleClick: double });
      return sendActivity(random, (bot) => fleet.click(bot, person, card, verb, data, { activityId: id }));
    };
    const first = one(false);
    if (double) {
      journal.doubleClicks += 1;
      await pause(gap);
      await one(true);
    }
    await first;
  }

  const release = (version: string) => fleet.read<ReleaseDocument>(releaseKey(version).pk, releaseKey(version).id);

  async function runRelease(index: number, random: Random): Promise<void> {
    await pause(index * 2_500);
    const version = `2031.${index + 1}.0`;
    const rc = `${version}-rc.1`;
    const planned: PlannedRelease = { version, rc, originConversationId: `${ENGINEERING};messageid=chaos-cut-${options.seed}-${index}`, promoteSent: false };
    journal.releases.push(planned);
    const appeared = new Promise<RecordedCall>((resolve) => threadWaiters.set(rc, resolve));
    const cut = typed(random, people.jake, rcCutText(rc), planned.originConversationId);
    const root = await Promise.race([appeared, pause(30_000).then(() => undefined)]);
    threadWaiters.delete(rc);
    if (!root) {
      options.progress(`  ${rc}: no thread appeared within 30 s`);
      await cut;
      return;
    }
    // Everyone acts at once: some the instant the thread appears, the rest within a second and a half.
    const thread: CardRef = { conversationId: root.conversationId, activityId: root.activityId };
    const card = root.activity.attachments?.[0]?.content;
    const soon = async () => {
      if (!random.chance(0.4)) await pause(random.int(0, 1_500));
    };
    const acts: Promise<void>[] = [cut];
    for (const { person } of LEADS) {
      const byClick = random.chance(0.5);
      acts.push(soon().then(() => (byClick ? click(random, person, thread, 'approve', ownButtonData(card, 'approve')) : typed(random, person, 'approve rc.1', thread.conversationId))));
    }
    acts.push(soon().then(() => typed(random, people.rafaella, `qa pass rc.1 https://qa.lendos.example/runs/${index + 1}`, thread.conversationId)));
    const asker = random.pick(LEADS).person;
    acts.push(soon().then(() => typed(random, asker, 'status', thread.conversationId, 'query')));
    acts.push(soon().then(() => typed(random, asker, 'history', thread.conversationId, 'query')));
    acts.push(soon().then(() => typed(random, asker, `status ${version}`, `${ENGINEERING};messageid=chaos-ask-${options.seed}-${index}`, 'query')));
    await Promise.all(acts);

    // Jake promotes once the store shows all five approvals (a correct system gets there).
    const ready = await until(async () => Object.values((await release(version))?.state.rcs[0]?.decisions ?? {}).filter((d) => d.decision === 'approved').length === 5, 25_000);
    if (!ready) {
      options.progress(`  ${rc}: fewer than 5 approvals recorded after 25 s; not promoted`);
      return;
    }
    planned.promoteSent = true;
    const latest: any = latestCard(fleet, root);
    if (latest.refresh?.userIds?.[0] === `8:orgid:${people.jake.aadObjectId}` && random.chance(0.5)) await click(random, people.jake, thread, 'promote', ownButtonData(latest, 'promote'));
    else await typed(random, people.jake, 'promote rc.1', thread.conversationId);
  }

  async function killLoop(until: number): Promise<void> {
    for (let k = 0; k < options.kills && Date.now() < until; k++) {
      await pause(killRandom.int(1_500, 4_500));
      if (killRandom.chance(0.5)) {
        const kind = killRandom.pick(WINDOW_KINDS);
        const fired = new Promise<boolean>((resolve) => {
          armed.push({ kind, fired: () => resolve(true) });
          void pause(6_000).then(() => resolve(false));
        });
        if (await fired) continue;
        armed.splice(armed.findIndex((kill) => kill.kind === kind), 1); // nothing of that kind went out: a random kill instead
      }
      const candidates = slots.filter((slot) => slot.bot?.running && !slot.dying);
      if (candidates.length > 0) await killSlot(killRandom.pick(candidates), 'random');
    }
  }

  try {
    options.progress(`  starting ${options.instances} instance(s) on the ${options.store} store`);
    await Promise.all(slots.map((slot) => startSlot(slot)));
    const workloadEnds = Date.now() + options.workloadMs;
    const releases = Promise.all(releaseRandoms.map((random, index) => runRelease(index, random)));
    const kills = killLoop(workloadEnds);
    await Promise.race([releases, pause(options.workloadMs)]);
    killing = false;
    armed.length = 0;
    await kills.catch(() => undefined);
    await Promise.all(slots.map((slot) => slot.restarting));
    for (const slot of slots) if (!slot.bot?.running) await startSlot(slot);
    await Promise.race([releases, pause(30_000)]);

    // Settle: every outbox delivered (or 30 s), then a quiet moment at the connector.
    options.progress('  settling');
    await until(async () => {
      for (const planned of journal.releases) if ((await release(planned.version))?.outbox.length) return false;
      return true;
    }, 30_000);
    await quiet(fleet, 1_500, 10_000);

    // The approvals as stored before the probe, which types an approval itself and could fill in a lost one.
    const stored: StoredRelease[] = [];
    for (const planned of journal.releases) {
      const doc = await release(planned.version);
      const rc1 = doc?.state.rcs[0];
      stored.push({
        version: planned.version,
        approvedAreas: Object.values(rc1?.decisions ?? {}).filter((d) => d.decision === 'approved').length,
        approvalEvents: (doc?.events ?? []).filter((event) => event.type === 'approved' && event.rc === 1).length,
      });
    }

    // Probe every thread Teams shows (forks included) with a typed command, faults off: a thread
    // that answers "not a release thread" is one a person could be stranded in.
    faultsOn = false;
    const roots = fleet.connector.calls.filter((call) => call.kind === 'createConversation');
    await Promise.all(
      roots.map((call) => {
        const id = nextId();
        journal.activities.push({ id, kind: 'typed', purpose: 'probe', person: people.luis.name, command: 'approve rc.1', conversationId: call.conversationId });
        return deliver((bot) => fleet.say(bot, people.luis, 'approve rc.1', { conversationId: call.conversationId, activityId: id }));
      }),
    );
    await quiet(fleet, 1_000, 10_000);
    for (const planned of journal.releases) journal.pendingAtEnd += (await release(planned.version))?.outbox.length ?? 0;

    const calls = [...fleet.connector.calls];
    return { figures: tally(journal, calls, stored), journal, calls, elapsedMs: Date.now() - started };
  } finally {
    await fleet.close();
  }
}

/** The latest card on a root post, after its updates. */
function latestCard(fleet: Fleet, root: RecordedCall): unknown {
  const updates = fleet.connector.calls.filter((call) => call.kind === 'update' && call.activityId === root.activityId);
  return (updates[updates.length - 1] ?? root).activity.attachments?.[0]?.content;
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await pause(200);
  }
  return false;
}

/** Waits until the connector has had no call for `quietMs` (at most `timeoutMs`). */
async function quiet(fleet: Fleet, quietMs: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = fleet.connector.calls.length;
  let since = Date.now();
  while (Date.now() < deadline) {
    await pause(100);
    const now = fleet.connector.calls.length;
    if (now !== seen) {
      seen = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      return;
    }
  }
}
