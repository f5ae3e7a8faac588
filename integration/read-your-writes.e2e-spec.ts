import { describeReadYourWrites } from './support/read-your-writes-suite';

// The same on SQLite: read-your-writes-sqlite.e2e-spec.ts (two files, so that Jest runs them side by side).
describeReadYourWrites('postgres');
