import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

// Which of our child processes holds a loopback TCP connection, found from its local port the way
// `ss -p` does (Linux /proc): /proc/net/tcp maps the port to a socket inode, and the process whose
// file descriptors include that inode owns it. The chaos run uses it to SIGKILL the very instance
// whose post the connector has just taken, before that instance learns it went out.

/** The pid among `pids` whose socket has local port `port` on 127.0.0.1, or undefined. */
export function pidOwningPort(port: number, pids: readonly number[]): number | undefined {
  const inode = socketInode(port);
  if (inode === undefined) return undefined;
  const link = `socket:[${inode}]`;
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone already
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === link) return pid;
      } catch {
        // closed while we looked
      }
    }
  }
  return undefined;
}

function socketInode(port: number): string | undefined {
  let table: string;
  try {
    table = readFileSync('/proc/net/tcp', 'utf8');
  } catch {
    return undefined; // not Linux
  }
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const line of table.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[1] === local && fields[9] && fields[9] !== '0') return fields[9];
  }
  return undefined;
}
