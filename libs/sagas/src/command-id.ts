import { createHash } from 'node:crypto';
import type { SagaPhase } from './saga-decisions';

/**
 * The `commandId` of an instance's action: the same for every try and after a crash, so that a
 * receiver that keys by it applies the command once. A name-based UUID (RFC 9562, version 8:
 * SHA-256 of the instance, phase and step, with the version and variant bits set).
 */
export function commandIdOf(instanceId: string, phase: SagaPhase, step: number): string {
  const hex = createHash('sha256').update(`${instanceId}:${phase}:${step}`).digest('hex').slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
