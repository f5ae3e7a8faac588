import { keySlot } from '@app/redis-streams';
import { positionsBase } from './positions-keys';

/** Every kind of key the scripts and the store build from the base (positions-scripts.ts). */
const keysOf = (base: string) => [
  `${base}aggregate:product:p-1`,
  `${base}aggregate:order:o-99`,
  `${base}collection:product`,
  `${base}version:product`,
  `${base}cursor:catalog:product`,
  `${base}cursor:legacy:order`,
  `${base}change`,
  `${base}members`,
];

describe('the keys of the positions store', () => {
  it('are what they always were on a single Redis', () => {
    expect(positionsBase('ficus:')).toBe('ficus:consistency:');
  });

  it('share one slot on a Redis Cluster, so that each script runs on the node holding them all', () => {
    const base = positionsBase('ficus:', { cluster: true });
    expect(base).toBe('ficus:{ficus:consistency}consistency:');
    expect(new Set(keysOf(base).map(keySlot)).size).toBe(1);
  });
});
