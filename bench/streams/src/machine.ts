import { type Machine as BaseMachine, describeMachine as describeHost } from '../../common/src/machine';
import type { Connection } from './redis';

export interface Machine extends BaseMachine {
  readonly redis: string;
}

/** The host (see the shared `describeMachine`) and the Redis version. */
export async function describeMachine(redis: Connection): Promise<Machine> {
  const info = String(await redis.sendCommand(['INFO', 'server']));
  return { ...describeHost(), redis: /redis_version:([^\r\n]+)/.exec(info)?.[1] ?? 'unknown' };
}
