import { keySlot } from '@app/redis-streams';
import { RuleStoreKeys } from './rule-store.keys';

describe('the keys of the rule store', () => {
  it('are what they always were on a single Redis', () => {
    const keys = new RuleStoreKeys('ficus:');
    expect([keys.current, keys.version(7), keys.audit, keys.changed]).toEqual([
      'ficus:strangler:rules:current',
      'ficus:strangler:rules:version:7',
      'ficus:strangler:rules:audit',
      'ficus:strangler:rules:changed',
    ]);
  });

  it('share one slot on a Redis Cluster: a script writes the pointer, the versions and the audit together', () => {
    const keys = new RuleStoreKeys('ficus:', { cluster: true });
    expect(keys.current).toBe('ficus:{ficus:rules}strangler:rules:current');
    const written = [keys.current, keys.audit, ...Array.from({ length: 200 }, (_, i) => keys.version(i + 1))];
    expect(new Set(written.map(keySlot)).size).toBe(1);
    // A channel is no key: it stays as it was.
    expect(keys.changed).toBe('ficus:strangler:rules:changed');
  });
});
