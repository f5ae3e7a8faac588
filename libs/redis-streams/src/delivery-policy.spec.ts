import { type DeliveryDecision, type DeliveryFacts, decideDelivery } from './delivery-policy';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');
const settings = { service: 'payments', maxDeliveries: 3, retryBaseDelayMs: 100, retryMaxDelayMs: 1_000 };
const base: DeliveryFacts = {
  kind: 'event',
  deliveries: 1,
  message: { pattern: 'wallet.charged' },
  handler: 'event',
  settings,
  now: NOW,
  jitter: 0.5,
};
const iso = (ms: number) => new Date(ms).toISOString();
const request = (deadline?: string) => ({ pattern: 'wallet.charge', ...(deadline ? { deadline } : {}) });
const locked = { code: 'LEDGER_LOCKED', message: 'The ledger is locked.' };
const invalid = { code: 'STREAMS_INVALID_MESSAGE', message: 'data of wallet.charged is invalid: amount: Too small' };

describe('decideDelivery', () => {
  it.each<[string, Partial<DeliveryFacts>, DeliveryDecision]>([
    // What the entry is.
    [
      'an entry deleted after it was delivered is acknowledged',
      { message: 'deleted' },
      { action: 'ack', label: 'unknown' },
    ],
    [
      'a malformed entry is dead-lettered at once, even on its first delivery',
      { message: { malformed: 'the entry has no id field' } },
      {
        action: 'dead-letter',
        label: 'unknown',
        reason: { code: 'STREAMS_INVALID_MESSAGE', message: 'the entry has no id field' },
        reply: false,
      },
    ],
    // Before the handler runs.
    ['an event with a handler runs', {}, { action: 'run', label: 'wallet.charged' }],
    [
      'a request before its deadline runs',
      { kind: 'request', handler: 'request', message: request(iso(NOW + 1)) },
      { action: 'run', label: 'wallet.charge' },
    ],
    [
      'a request without a deadline runs',
      { kind: 'request', handler: 'request', message: request() },
      { action: 'run', label: 'wallet.charge' },
    ],
    [
      'a request at its deadline expires',
      { kind: 'request', handler: 'request', message: request(iso(NOW)) },
      { action: 'expire', label: 'wallet.charge' },
    ],
    [
      'a request past its deadline expires, even on a later delivery',
      { kind: 'request', handler: 'request', deliveries: 4, message: request(iso(NOW - 1_000)) },
      { action: 'expire', label: 'wallet.charge' },
    ],
    [
      'an expired request nobody handles expires, labelled unknown',
      { kind: 'request', handler: null, message: request(iso(NOW - 1)) },
      { action: 'expire', label: 'unknown' },
    ],
    [
      'an expired request with invalid data expires (nobody waits for the answer)',
      { kind: 'request', handler: 'request', message: request(iso(NOW - 1)), invalid },
      { action: 'expire', label: 'wallet.charge' },
    ],
    [
      'an event past a deadline it should not carry runs: only requests expire',
      { message: { pattern: 'wallet.charged', deadline: iso(NOW - 1) } },
      { action: 'run', label: 'wallet.charged' },
    ],
    [
      'a request nobody handles is answered with STREAMS_NO_HANDLER',
      { kind: 'request', handler: null, message: request(iso(NOW + 1_000)) },
      {
        action: 'reply-and-ack',
        label: 'unknown',
        reason: { code: 'STREAMS_NO_HANDLER', message: 'payments has no request handler for wallet.charge' },
      },
    ],
    [
      'a request for a pattern handled only as an event is answered with STREAMS_NO_HANDLER',
      { kind: 'request', handler: 'event', message: request() },
      {
        action: 'reply-and-ack',
        label: 'unknown',
        reason: { code: 'STREAMS_NO_HANDLER', message: 'payments has no request handler for wallet.charge' },
      },
    ],
    [
      'an event nobody handles is dead-lettered at once',
      { handler: null },
      {
        action: 'dead-letter',
        label: 'unknown',
        reason: { code: 'STREAMS_NO_HANDLER', message: 'payments has no event handler for wallet.charged' },
        reply: false,
      },
    ],
    [
      'an event whose data fails its schema is dead-lettered at once',
      { invalid },
      { action: 'dead-letter', label: 'wallet.charged', reason: invalid, reply: false },
    ],
    [
      'a request whose data fails its schema is answered with why, then dead-lettered',
      { kind: 'request', handler: 'request', message: request(iso(NOW + 1)), invalid },
      { action: 'dead-letter', label: 'wallet.charge', reason: invalid, reply: true },
    ],
    // After the handler ran.
    ['an event handled is acknowledged', { outcome: 'ok' }, { action: 'ack', label: 'wallet.charged' }],
    [
      'a request answered is acknowledged',
      { kind: 'request', handler: 'request', message: request(), outcome: 'ok' },
      { action: 'ack', label: 'wallet.charge' },
    ],
    [
      'a request whose handler failed is acknowledged: the error is its answer',
      { kind: 'request', handler: 'request', message: request(), deliveries: 1, outcome: locked },
      { action: 'ack', label: 'wallet.charge' },
    ],
    [
      'a failed event is retried after base × 2^0',
      { outcome: locked },
      { action: 'retry', label: 'wallet.charged', reason: locked, delayMs: 100 },
    ],
    [
      'a failed event is retried after base × 2^1 on its second delivery',
      { outcome: locked, deliveries: 2 },
      { action: 'retry', label: 'wallet.charged', reason: locked, delayMs: 200 },
    ],
    [
      'the retry delay has at most -20 % jitter',
      { outcome: locked, deliveries: 2, jitter: 0 },
      { action: 'retry', label: 'wallet.charged', reason: locked, delayMs: 160 },
    ],
    [
      'the retry delay never passes retryMaxDelayMs',
      {
        outcome: locked,
        deliveries: 2,
        jitter: 0.99,
        settings: { ...settings, maxDeliveries: 10, retryMaxDelayMs: 210 },
      },
      { action: 'retry', label: 'wallet.charged', reason: locked, delayMs: 210 },
    ],
    [
      'a failed event is dead-lettered on its last delivery',
      { outcome: locked, deliveries: 3 },
      { action: 'dead-letter', label: 'wallet.charged', reason: locked, reply: false },
    ],
    [
      'a claimed event past maxDeliveries is dead-lettered when it fails',
      { outcome: locked, deliveries: 7 },
      { action: 'dead-letter', label: 'wallet.charged', reason: locked, reply: false },
    ],
    [
      'a handler failing with VALIDATION_FAILED is dead-lettered at once',
      { outcome: { code: 'VALIDATION_FAILED', message: ['amount must be positive', 'currency is unknown'] } },
      {
        action: 'dead-letter',
        label: 'wallet.charged',
        reason: { code: 'VALIDATION_FAILED', message: 'amount must be positive; currency is unknown' },
        reply: false,
      },
    ],
    [
      'a handler failing with STREAMS_INVALID_MESSAGE is dead-lettered at once',
      { outcome: invalid },
      { action: 'dead-letter', label: 'wallet.charged', reason: invalid, reply: false },
    ],
    [
      'with maxDeliveries 1 a failed event is dead-lettered at once',
      { outcome: locked, settings: { ...settings, maxDeliveries: 1 } },
      { action: 'dead-letter', label: 'wallet.charged', reason: locked, reply: false },
    ],
  ])('%s', (_case, facts, decision) => {
    expect(decideDelivery({ ...base, ...facts })).toEqual(decision);
  });
});
