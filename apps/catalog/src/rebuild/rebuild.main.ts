import { runMain } from '@app/service-defaults';
import { describeRebuild, rebuildCatalog } from './rebuild-catalog';

/**
 * `npm run rebuild:catalog`, with the catalog stopped: empties the read model and its inbox
 * state, moves the catalog's consumer groups back to the start of the streams, asks the
 * monolith (`LEGACY_URL`) for a backfill, and logs what it did, one line per step.
 * Exits 1 saying why otherwise.
 */
runMain(
  async (logger) => {
    const report = await rebuildCatalog();
    // Through the command's own logger: the Nest context the rebuild ran in was silent, and silenced Nest's.
    for (const line of describeRebuild(report)) logger.log(line, 'CatalogRebuild');
  },
  { processName: 'catalog-rebuild' },
);
