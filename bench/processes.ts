import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer, AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

// Child processes of the benchmark (the echo bot, the real bot), started and always stopped by
// their own pid. Nothing here touches a process the benchmark did not start.

export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly pid: number;
  readonly spawnedAt: number;
  /** The newest lines of stdout and stderr, for diagnostics. */
  readonly tail: string[];
  /** Resolves with the first stdout line for which `match` holds; rejects on exit or timeout. */
  waitForLine(match: (line: string) => boolean, timeoutMs: number): Promise<string>;
  /** Sends a message over the IPC channel (spawned with `ipc`) and resolves with the child's answer to it. */
  request<T>(message: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

const running = new Set<Child>();

export function spawnNode(name: string, args: readonly string[], env: NodeJS.ProcessEnv, options: { ipc?: boolean } = {}): Child {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'] });
  let requestSeq = 0;
  const answers = new Map<number, (value: unknown) => void>();
  child.on('message', (message: { id?: number }) => {
    const answer = typeof message?.id === 'number' ? answers.get(message.id) : undefined;
    answers.delete(message.id!);
    answer?.(message);
  });
  if (child.pid === undefined) throw new Error(`could not start ${name}`);
  const tail: string[] = [];
  const lineWaiters = new Set<{ match: (line: string) => boolean; resolve: (line: string) => void }>();
  const keep = (line: string) => {
    tail.push(line.length > 500 ? `${line.slice(0, 500)}…` : line);
    if (tail.length > 40) tail.shift();
  };
  createInterface({ input: child.stdout! }).on('line', (line) => {
    keep(line);
    for (const waiter of lineWaiters) if (waiter.match(line)) waiter.resolve(line);
  });
  createInterface({ input: child.stderr! }).on('line', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const handle: Child = {
    name,
    process: child,
    pid: child.pid,
    spawnedAt,
    tail,
    waitForLine(match, timeoutMs) {
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`${name} printed no expected line within ${timeoutMs} ms; last lines:\n${tail.join('\n')}`)), timeoutMs);
        const onExit = () => done(new Error(`${name} exited (code ${child.exitCode}); last lines:\n${tail.join('\n')}`));
        const waiter = { match, resolve: (line: string) => done(undefined, line) };
        function done(error?: Error, line?: string) {
          clearTimeout(timer);
          lineWaiters.delete(waiter);
          child.off('exit', onExit);
          if (error) reject(error);
          else resolve(line!);
        }
        lineWaiters.add(waiter);
        child.once('exit', onExit);
      });
    },
    request<T>(message: Record<string, unknown>, timeoutMs = 5_000): Promise<T> {
      const id = (requestSeq += 1);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          answers.delete(id);
          reject(new Error(`${name} did not answer ${JSON.stringify(message)} within ${timeoutMs} ms`));
        }, timeoutMs);
        answers.set(id, (value) => {
          clearTimeout(timer);
          resolve(value as T);
        });
        child.send({ ...message, id });
      });
    },
    async stop() {
      running.delete(handle);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killed = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killed);
    },
  };
  running.add(handle);
  return handle;
}

/** Stops every child still running (by its own pid), e.g. on an error or Ctrl-C. */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...running].map((child) => child.stop()));
}

/** Last resort on process exit: synchronous SIGKILL of children still alive. */
export function killChildrenNow(): void {
  for (const child of running) {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
  }
  running.clear();
}

/** A port free on 127.0.0.1 right now (bind 0, read, release). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls GET /healthz every 10 ms until it answers 200; resolves with performance.now() then. */
export async function waitForHealthz(port: number, child: Child, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (let attempt = 0; attempt < 5_000 && performance.now() < deadline; attempt += 1) {
    if (child.process.exitCode !== null) throw new Error(`${child.name} exited before /healthz answered; last lines:\n${child.tail.join('\n')}`);
    const status = await new Promise<number>((resolve) => {
      const req = get({ host: '127.0.0.1', port, path: '/healthz', agent: false, timeout: 500 }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(0));
    });
    if (status === 200) return performance.now();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${child.name} did not answer GET /healthz with 200 within ${timeoutMs} ms`);
}

export interface MemoryReading {
  /** Resident set size now, MB. */
  readonly rssMb: number;
  /** Peak resident set size, MB. */
  readonly hwmMb: number;
}

/** VmRSS and VmHWM of a process from /proc/<pid>/status (Linux). */
export function readMemory(pid: number): MemoryReading {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

/**
 * CPU time (user + system) a process has used so far, ms, from /proc/<pid>/stat (Linux; clock
 * ticks of 10 ms). Per-phase differences give CPU per message, which machine noise hardly moves.
 */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
