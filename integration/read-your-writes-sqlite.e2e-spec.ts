import { describeReadYourWrites } from './support/read-your-writes-suite';

// The same on PostgreSQL: read-your-writes.e2e-spec.ts (two files, so that Jest runs them side by side).
describeReadYourWrites('sqlite');
