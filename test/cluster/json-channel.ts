// A line-delimited JSON client over a unix socket: speaks QMP (qemu monitor) and the qemu guest agent.
import net from 'node:net';

type Json = Record<string, unknown>;

export class ChannelClosedError extends Error {}

/** One connection to a qemu chardev socket; requests are answered in order, events are skipped. */
export class JsonChannel {
  private buffer = '';
  private readonly lines: string[] = [];
  private waiter: (() => void) | undefined;
  private closed = false;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let newline = this.buffer.indexOf('\n');
      while (newline >= 0) {
        this.lines.push(this.buffer.slice(0, newline));
        this.buffer = this.buffer.slice(newline + 1);
        newline = this.buffer.indexOf('\n');
      }
      this.wake();
    });
    const close = (): void => {
      this.closed = true;
      this.wake();
    };
    socket.on('close', close);
    socket.on('error', close);
  }

  static connect(path: string, timeoutMs = 5000): Promise<JsonChannel> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection(path);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect ${path}: timed out`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new JsonChannel(socket));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  /** The next JSON object received, skipping non-JSON noise (qga's 0xff sync byte). */
  async next(timeoutMs: number): Promise<Json> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.lines.shift();
      if (line !== undefined) {
        const start = line.indexOf('{');
        if (start < 0) continue;
        try {
          return JSON.parse(line.slice(start)) as Json;
        } catch {
          continue;
        }
      }
      if (this.closed) throw new ChannelClosedError('channel closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no answer in time');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  send(message: Json): void {
    if (this.closed) throw new ChannelClosedError('channel closed');
    this.socket.write(`${JSON.stringify(message)}\n`);
  }

  /** Sends a command and returns its `return` value; `error` answers become exceptions. */
  request(
    message: Json,
    timeoutMs: number,
    accept: (answer: Json) => boolean = () => true,
  ): Promise<unknown> {
    const run = async (): Promise<unknown> => {
      this.send(message);
      for (;;) {
        const answer = await this.next(timeoutMs);
        if ('event' in answer || 'QMP' in answer) continue;
        if (!accept(answer)) continue;
        if ('error' in answer) {
          const error = answer.error as { desc?: string } | undefined;
          throw new Error(`${String(message.execute)}: ${error?.desc ?? JSON.stringify(answer.error)}`);
        }
        return answer.return;
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
