import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { CompiledRuleSet } from './compiled-rule-set';
import { checkRuleSet } from './check-rule-set';
import type { RuleSetInput } from './rule-set.schema';
import { toRoutingRequest } from './routing-request';
import { BUCKETS, inCanary, stickyBucket } from './sticky-hash';

/** The bucket as SHA-256 defines it: the first 4 bytes of the digest of `cohort \0 key`, big-endian, mod 10,000. */
const sha256Bucket = (cohort: string, key: string) =>
  createHash('sha256').update(`${cohort}\u0000${key}`, 'utf8').digest().readUInt32BE(0) % 10_000;

const KEYS = Array.from({ length: 100_000 }, (_, i) => `user-${i}`);

function canaryRules(percent: number): CompiledRuleSet {
  const check = checkRuleSet({
    legacy: 'legacy',
    upstreams: { legacy: { url: 'http://127.0.0.1:3000' }, orders: { url: 'http://127.0.0.1:3002' } },
    routes: [
      {
        id: 'orders-read',
        match: { path: '/api/orders/**' },
        target: 'orders',
        mode: 'canary',
        percent,
        stickyBy: 'header:x-user',
      },
    ],
  } satisfies RuleSetInput);
  if (!check.ok) throw new Error(check.errors.join('\n'));
  return new CompiledRuleSet(1, check.ruleSet);
}

/** The keys a rule set sends to the canary's target. */
function inTarget(ruleSet: CompiledRuleSet, keys: readonly string[]): Set<string> {
  const chosen = new Set<string>();
  for (const key of keys) {
    const parsed = toRoutingRequest('GET', '/api/orders/1', { 'x-user': key }, undefined);
    if (!parsed.ok) throw new Error(parsed.reason);
    if (ruleSet.decide(parsed.request).side === 'target') chosen.add(key);
  }
  return chosen;
}

describe('stickyBucket', () => {
  it('has 10,000 buckets', () => {
    expect(BUCKETS).toBe(10_000);
  });

  it.each([
    ['route:orders-read', 'user-1'],
    ['route:orders-read', '5f1f1b9e-7c1a-4a43-9a4e-1f0b2b7d8c01'],
    ['group:checkout', '203.0.113.7'],
    ['group:checkout', ''],
    ['route:caf\u00e9', 'cl\u00e9 \u{1f511}'],
  ])('puts %j / %j in the bucket SHA-256 gives', (cohort, key) => {
    expect(stickyBucket(cohort, key)).toBe(sha256Bucket(cohort, key));
  });

  it('gives the same bucket on every call', () => {
    const first = KEYS.slice(0, 1_000).map((key) => stickyBucket('route:r', key));
    const second = KEYS.slice(0, 1_000).map((key) => stickyBucket('route:r', key));
    expect(second).toEqual(first);
    expect(first.every((bucket) => Number.isInteger(bucket) && bucket >= 0 && bucket < BUCKETS)).toBe(true);
  });

  it('gives the bucket another process computes', () => {
    const keys = KEYS.slice(0, 20);
    const script = `
      const { createHash } = require('node:crypto');
      const keys = JSON.parse(process.argv[1]);
      process.stdout.write(JSON.stringify(keys.map((key) =>
        createHash('sha256').update('route:orders-read').update('\\0').update(key).digest().readUInt32BE(0) % 10000)));
    `;
    const theirs = JSON.parse(
      execFileSync(process.execPath, ['-e', script, JSON.stringify(keys)], { encoding: 'utf8' }),
    );
    expect(keys.map((key) => stickyBucket('route:orders-read', key))).toEqual(theirs);
  });

  it('keeps a key apart from its cohort (no ambiguity where they meet)', () => {
    expect(stickyBucket('route:a', 'bc')).toBe(sha256Bucket('route:a', 'bc'));
    expect(stickyBucket('route:a', 'bc')).not.toBe(stickyBucket('route:ab', 'c'));
  });

  it('splits the same key differently for different cohorts', () => {
    const a = KEYS.slice(0, 1_000).map((key) => stickyBucket('route:a', key));
    const b = KEYS.slice(0, 1_000).map((key) => stickyBucket('route:b', key));
    expect(a.filter((bucket, i) => bucket === b[i]).length).toBeLessThan(10);
  });
});

describe('inCanary', () => {
  it.each([
    [0, 0, false],
    [9_999, 0, false],
    [0, 0.01, true],
    [1, 0.01, false],
    [2_499, 25, true],
    [2_500, 25, false],
    [1_233, 12.34, true],
    [1_234, 12.34, false],
    [9_999, 99.99, false],
    [9_998, 99.99, true],
    [9_999, 100, true],
  ])('bucket %d at %d %%: %s', (bucket, percent, expected) => {
    expect(inCanary(bucket, percent)).toBe(expected);
  });
});

describe('the canary split over 100,000 keys', () => {
  const at10 = inTarget(canaryRules(10), KEYS);
  const at25 = inTarget(canaryRules(25), KEYS);

  it('is 25 % ± 1 % at 25 %', () => {
    expect(at25.size / KEYS.length).toBeGreaterThanOrEqual(0.24);
    expect(at25.size / KEYS.length).toBeLessThanOrEqual(0.26);
  });

  it('is 10 % ± 1 % at 10 %', () => {
    expect(at10.size / KEYS.length).toBeGreaterThanOrEqual(0.09);
    expect(at10.size / KEYS.length).toBeLessThanOrEqual(0.11);
  });

  it('only grows as the percent rises: every key in at 10 % is in at 25 %', () => {
    expect([...at10].filter((key) => !at25.has(key))).toEqual([]);
  });

  it('is the split SHA-256 gives', () => {
    const expected = KEYS.filter((key) => sha256Bucket('route:orders-read', key) < 2_500);
    expect([...at25]).toEqual(expected);
  });

  it('is the same in two rule sets built apart (as on two instances)', () => {
    const keys = KEYS.slice(0, 10_000);
    expect([...inTarget(canaryRules(25), keys)]).toEqual([...inTarget(canaryRules(25), keys)]);
  });

  it('sends nobody at 0 % and everybody at 100 %', () => {
    const keys = KEYS.slice(0, 5_000);
    expect(inTarget(canaryRules(0), keys).size).toBe(0);
    expect(inTarget(canaryRules(100), keys).size).toBe(keys.length);
  });
});
