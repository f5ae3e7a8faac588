import type { BenchStack } from '../../convergence/src/bench-stack';
import { STAGES, type Variant } from './config';
import type { Customer } from './protocol';

/**
 * Moves the facade to a variant's stage, as an operator would (`strangler rules apply <stage
 * file>` against the admin API; it waits until the facade routes with the new version), unless
 * it is there already; then checks, with a read of the orders group, that the facade sends the
 * orders where the stage says. Returns the variant now routed.
 */
export async function moveTo(
  stack: BenchStack,
  variant: Variant,
  current: Variant,
  customer: Customer,
): Promise<Variant> {
  const stage = STAGES[variant];
  if (variant !== current) {
    const version = await stack.applyRules(stage.file, `orders benchmark: orders on the ${variant}`);
    process.stderr.write(`rules version ${version}: ${stage.file} (orders on ${stage.upstream})\n`);
  }
  const response = await fetch(`${stack.facadeUrl}/api/orders?limit=1`, {
    headers: { authorization: `Bearer ${customer.token}` },
    signal: AbortSignal.timeout(10_000),
  });
  await response.arrayBuffer();
  const upstream = response.headers.get('x-strangler-upstream');
  if (response.status !== 200 || upstream !== stage.upstream) {
    throw new Error(
      `After ${stage.file}, GET /api/orders answered ${response.status} from ${upstream} instead of 200 from ${stage.upstream}`,
    );
  }
  return variant;
}
