import { StreamsError } from './errors';
import { keySlot } from './key-slot';
import { StreamKeys, keyGroupPrefix } from './keys';
import { livenessKey } from './liveness';

const slots = (keys: readonly string[]) => new Set(keys.map(keySlot));

describe('the transport’s keys', () => {
  const patterns = ['order.placed', 'order.cancelled', 'wallet.credited', 'stock-adjusted.v2'];

  describe('on a single Redis', () => {
    const keys = new StreamKeys('ficus:');

    it('are what they always were, with no hash tag', () => {
      expect([
        keys.requests('payments'),
        keys.events('order.placed'),
        keys.deadLetters('payments'),
        keys.mark('orders'),
        keys.replies('orders', 'host-1-abc'),
      ]).toEqual([
        'ficus:req:payments',
        'ficus:evt:order.placed',
        'ficus:dlq:payments',
        'ficus:mark:orders',
        'ficus:rep:orders:host-1-abc',
      ]);
      expect(keys.cluster).toBe(false);
      expect(keyGroupPrefix('ficus:', 'streams')).toBe('ficus:');
    });
  });

  describe('on a Redis Cluster', () => {
    const keys = new StreamKeys('ficus:', { cluster: true });

    it('tag the streams with {<prefix>streams}, right after the prefix', () => {
      expect(keys.requests('payments')).toBe('ficus:{ficus:streams}req:payments');
      expect(keys.events('order.placed')).toBe('ficus:{ficus:streams}evt:order.placed');
      expect(keys.named('evt:order.placed')).toBe(keys.events('order.placed'));
      expect(keys.named('rep:a:b')).toBe('ficus:rep:a:b');
    });

    it('put what one XREADGROUP reads in one slot: a service’s requests and every event it consumes', () => {
      for (const service of ['payments', 'orders', 'catalog']) {
        expect(slots([keys.requests(service), ...patterns.map((p) => keys.events(p))]).size).toBe(1);
      }
    });

    it('put a dead letter and the stream it came from in one slot (one MULTI moves it, either way)', () => {
      const sources = [keys.requests('payments'), ...patterns.map((p) => keys.events(p))];
      for (const source of sources) expect(slots([keys.deadLetters('payments'), source]).size).toBe(1);
    });

    it('put a publisher’s batch and its high-water mark in one slot (one node stores them in order)', () => {
      expect(slots([...patterns.map((p) => keys.events(p)), keys.mark('orders'), keys.mark('payments')]).size).toBe(1);
    });

    it('leave the keys used alone without a tag, to spread: reply streams and liveness keys', () => {
      const alone = [
        ...Array.from({ length: 50 }, (_, i) => keys.replies('orders', `host-${i}`)),
        ...Array.from({ length: 50 }, (_, i) => livenessKey('ficus:', 'payments', `payments-${i}`)),
      ];
      expect(alone.every((key) => !key.includes('{'))).toBe(true);
      expect(slots(alone).size).toBeGreaterThan(90);
    });

    it('give each prefix a slot of its own, so stacks sharing a cluster spread', () => {
      expect(new StreamKeys('shop-a:', { cluster: true }).events('x')).toBe('shop-a:{shop-a:streams}evt:x');
      const prefixes = Array.from({ length: 20 }, (_, i) => `stack-${i}:`);
      expect(slots(prefixes.map((prefix) => new StreamKeys(prefix, { cluster: true }).events('x'))).size).toBe(20);
    });

    it('refuse a prefix with a brace, which would replace the tag', () => {
      expect(() => new StreamKeys('ficus-{a}:', { cluster: true })).toThrow(StreamsError);
      expect(() => new StreamKeys('ficus-{a}:', { cluster: true })).toThrow(/holds a brace/);
      expect(new StreamKeys('ficus-{a}:').events('x')).toBe('ficus-{a}:evt:x');
    });
  });
});
