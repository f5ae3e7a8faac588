// Defaults for every test process; a variable already set (by CI or a developer) wins.
process.env.LOG_LEVEL ??= 'silent';
process.env.NODE_ENV ??= 'test';
// The same scrypt, at a cost that keeps hundreds of registrations fast.
process.env.PASSWORD_SCRYPT_COST ??= '12';
// Nothing a test starts may write under the stacks' own prefix (`ficus:`) on the shared Redis.
process.env.REDIS_PREFIX ??= `ficus-test:jest-${process.pid}:`;
// A placement answers with its saga's final status when the saga ends within ORDERS_SAGA_WAIT_MS
// (3 s by default), and `PENDING` past it. A 2-core machine running every suite at once can take
// longer than 3 s for a saga whose events and commands queue behind other suites' work; the tests
// that assert a final status are not about the wait, so they get a long one. The test about the
// wait (`apps/orders/test/orders-pending.e2e-spec.ts`) sets its own.
process.env.ORDERS_SAGA_WAIT_MS ??= '30000';
