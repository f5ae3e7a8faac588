import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { Arrivals, ReadCommand, ReaderCommand, ReaderReply } from './protocol';

/** The coordinator's side of the reader's process (`reader.ts`); one read at a time. */
export class ReaderProcess {
  private readonly child: ChildProcess;
  private waiting?: { resolve: (reply: ReaderReply) => void; reject: (error: Error) => void };
  private readonly ready: Promise<ReaderReply>;
  private exited = false;

  constructor(redisUrl: string) {
    this.child = fork(join(__dirname, 'reader.js'), [redisUrl], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.ready = this.next();
    this.child.on('message', (reply: ReaderReply) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      if (reply.type === 'failed') waiting?.reject(new Error(`reader: ${reply.error}`));
      else waiting?.resolve(reply);
    });
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      this.waiting?.reject(new Error(`reader: its process exited (${signal ?? code})`));
      this.waiting = undefined;
    });
  }

  async started(): Promise<void> {
    await this.ready;
  }

  /** Reads the stream from its start until `count` entries came or `timeoutMs` passed. */
  async read(command: Omit<ReadCommand, 'type'>): Promise<Arrivals> {
    await this.ready;
    const reply = this.next();
    this.send({ type: 'read', ...command });
    const { orderIds, atMs } = (await reply) as Extract<ReaderReply, { type: 'arrivals' }>;
    return { orderIds, atMs };
  }

  stop(): void {
    if (!this.exited) this.send({ type: 'stop' });
  }

  private send(command: ReaderCommand): void {
    this.child.send(command);
  }

  private next(): Promise<ReaderReply> {
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }
}
