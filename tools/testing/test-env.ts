// Defaults for every test process; a variable already set (by CI or a developer) wins.
process.env.LOG_LEVEL ??= 'silent';
process.env.NODE_ENV ??= 'test';
// The same scrypt, at a cost that keeps hundreds of registrations fast.
process.env.PASSWORD_SCRYPT_COST ??= '12';
