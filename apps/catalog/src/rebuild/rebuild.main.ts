import { ConsoleLogger } from '@nestjs/common';
import { runMain } from '@app/service-defaults';
import { describeRebuild, rebuildCatalog } from './rebuild-catalog';

/**
 * `npm run rebuild:catalog`, with the catalog stopped: empties the read model and its inbox
 * state, moves the catalog's consumer groups back to the start of the streams, asks the
 * monolith (`LEGACY_URL`) for a backfill, and prints what it did, one JSON line per step.
 * Exits 1 saying why otherwise.
 */
runMain(async () => {
  const report = await rebuildCatalog();
  // Its own logger: the Nest context it ran in was silent, and silenced the shared one.
  const logger = new ConsoleLogger('CatalogRebuild', { json: true, colors: false });
  for (const line of describeRebuild(report)) logger.log(line);
});
