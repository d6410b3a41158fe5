// A fake journald stream socket for tests of syslog output: a unix stream server in the test's own
// directory (LXCHA_JOURNAL_SOCKET points the agent at it) that keeps what each connection sent.
import { createServer, type Server } from 'node:net';
import path from 'node:path';

export interface JournalConnection {
  /** Everything the client sent, once it closed the connection (its process ended). */
  readonly text: string;
}

export interface FakeJournal {
  readonly socket: string;
  /** The connections closed so far. */
  readonly closed: JournalConnection[];
  /** Waits until `count` connections have closed; throws after `timeoutMs`. */
  settled(count?: number, timeoutMs?: number): Promise<JournalConnection[]>;
  close(): Promise<void>;
}

export async function fakeJournal(dir: string): Promise<FakeJournal> {
  const socket = path.join(dir, 'journal-stdout');
  const closed: JournalConnection[] = [];
  const server: Server = createServer((c) => {
    const chunks: Buffer[] = [];
    c.on('data', (d: Buffer) => chunks.push(d));
    c.on('close', () => closed.push({ text: Buffer.concat(chunks).toString('utf8') }));
    c.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return {
    socket,
    closed,
    async settled(count = 1, timeoutMs = 5000): Promise<JournalConnection[]> {
      for (let i = 0; i < timeoutMs / 25; i++) {
        if (closed.length >= count) return closed;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`journal: ${closed.length} of ${count} connections closed`);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
