// Defaults for every test process; a variable already set (by CI or a developer) wins.
process.env.LOG_LEVEL ??= 'silent';
process.env.NODE_ENV ??= 'test';
// The same scrypt, at a cost that keeps hundreds of registrations fast.
process.env.PASSWORD_SCRYPT_COST ??= '12';
// Nothing a test starts may write under the stacks' own prefix (`ficus:`) on the shared Redis.
process.env.REDIS_PREFIX ??= `ficus-test:jest-${process.pid}:`;
