import type { BenchConfig } from '../config';
import type { Contender } from '../contender';
import { BareStreamsContender } from './bare-streams';
import { NestRedisContender, NestRedisWithAlsContender } from './nest-redis';
import { StreamsTransportContender } from './streams-transport';

/** The contenders, in the order they are reported. */
export const CONTENDERS = ['transport', 'bare', 'nestRedis', 'nestRedisAls'] as const;

export function createContender(name: string, config: BenchConfig): Contender {
  switch (name) {
    case 'transport':
      return new StreamsTransportContender(config);
    case 'bare':
      return new BareStreamsContender(config);
    case 'nestRedis':
      return new NestRedisContender(config);
    case 'nestRedisAls':
      return new NestRedisWithAlsContender(config);
    default:
      throw new Error(`Unknown contender ${name} (known: ${CONTENDERS.join(', ')})`);
  }
}
