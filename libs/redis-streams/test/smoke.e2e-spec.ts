import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { DomainError } from '@app/service-defaults';
import { RedisStreamsContext, RedisStreamsRemoteError } from '@app/redis-streams';
import { StreamsHarness, eventually } from './support/streams-harness';

const seen: unknown[] = [];

@Controller()
class MathController {
  @MessagePattern('math.sum')
  sum(@Payload() numbers: number[]): number {
    return numbers.reduce((a, b) => a + b, 0);
  }

  @MessagePattern('math.fail')
  fail(): never {
    throw new DomainError('VALIDATION_FAILED', 'nope');
  }

  @EventPattern<string>('thing.happened')
  happened(@Payload() data: unknown, @Ctx() context: RedisStreamsContext): void {
    seen.push({ data, deliveries: context.getDeliveryCount(), origin: context.getMeta().origin });
  }
}

describe('smoke', () => {
  const harness = new StreamsHarness();
  beforeAll(() => harness.start());
  afterAll(() => harness.cleanup());

  it('works', async () => {
    console.log('a');
    await harness.service([MathController], { service: 'math' });
    console.log('b');
    const client = await harness.client({ origin: 'tester', service: 'math' });
    console.log('c');
    expect(await firstValueFrom(client.send('math.sum', [1, 2, 3]))).toBe(6);
    const error = await firstValueFrom(client.send('math.fail', {})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisStreamsRemoteError);
    expect((error as RedisStreamsRemoteError).code).toBe('VALIDATION_FAILED');
    const id = await lastValueFrom(client.emit('thing.happened', { a: 1 }));
    expect(id).toMatch(/^\d+-\d+$/);
    await eventually(() => seen.length === 1);
    expect(seen[0]).toEqual({ data: { a: 1 }, deliveries: 1, origin: 'tester' });
    console.log(await harness.keys());
  });
});
