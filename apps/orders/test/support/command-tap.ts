import { createClient } from 'redis';
import { TEST_REDIS_URL } from '../../../../tools/testing/test-redis';

/** One request a saga sent, as it was appended to `<prefix>req:<service>`. */
export interface TappedCommand {
  readonly service: string;
  readonly pattern: string;
  readonly orderId: string | undefined;
  readonly commandId: string | undefined;
}

type RawRead = [string, [string, string[] | null][]][] | null;

/** RESP2: replies are plain arrays, as the transport reads them. */
const connect = () => createClient({ url: TEST_REDIS_URL, RESP: 2 });

/**
 * Records every request appended to the request streams of some services from now on (a reader of
 * its own, plain `XREAD`, so the services' consumer groups are untouched): a request its client
 * deleted at its deadline was recorded all the same. Tells how often a command was sent, and with
 * which command ids.
 */
export class CommandTap {
  private readonly seen: TappedCommand[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  private constructor(
    private readonly client: ReturnType<typeof connect>,
    private readonly streams: { key: string; service: string; lastId: string }[],
  ) {
    this.loop = this.read();
  }

  static async start(prefix: string, services: readonly string[]): Promise<CommandTap> {
    const client = connect();
    client.on('error', () => undefined);
    await client.connect();
    const streams = [];
    for (const service of services) {
      const key = `${prefix}req:${service}`;
      // From the last entry there now (the services created their streams at start).
      const last = (await client.sendCommand(['XREVRANGE', key, '+', '-', 'COUNT', '1'])) as [string, unknown][];
      streams.push({ key, service, lastId: last[0]?.[0] ?? '0-0' });
    }
    return new CommandTap(client, streams);
  }

  /** The commands of `pattern` sent for `orderId` so far, oldest first. */
  sent(pattern: string, orderId: string): TappedCommand[] {
    return this.seen.filter((command) => command.pattern === pattern && command.orderId === orderId);
  }

  async close(): Promise<void> {
    this.running = false;
    await this.loop;
    this.client.destroy();
  }

  private async read(): Promise<void> {
    while (this.running) {
      const keys = this.streams.map(({ key }) => key);
      const ids = this.streams.map(({ lastId }) => lastId);
      let reply: RawRead;
      try {
        reply = (await this.client.sendCommand([
          'XREAD',
          'COUNT',
          '100',
          'BLOCK',
          '200',
          'STREAMS',
          ...keys,
          ...ids,
        ])) as RawRead;
      } catch {
        // Redis hiccuped: read again in a moment.
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      for (const [key, entries] of reply ?? []) {
        const stream = this.streams.find((candidate) => candidate.key === key);
        if (!stream) continue;
        for (const [entryId, fields] of entries) {
          stream.lastId = entryId;
          if (!fields) continue;
          const message = fieldsOf(fields);
          const data = JSON.parse(message.data ?? 'null') as { orderId?: string; commandId?: string } | null;
          this.seen.push({
            service: stream.service,
            pattern: message.pattern ?? '',
            orderId: data?.orderId,
            commandId: data?.commandId,
          });
        }
      }
    }
  }
}

function fieldsOf(fields: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i]!] = fields[i + 1]!;
  return record;
}
