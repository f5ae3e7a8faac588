import { NestFactory } from '@nestjs/core';
import { createDatabaseConfig } from '@app/database';
import { CATALOG_PROCESS_NAME } from '../catalog-process';
import { type RebuildReport, CatalogRebuild } from './catalog-rebuild';
import { CatalogRebuildModule } from './catalog-rebuild.module';
import { rebuildConfig } from './rebuild.config';

/**
 * Runs a rebuild of the catalog's read model (see {@link CatalogRebuild}) with the
 * configuration of the environment, and returns what it did. Throws a `CONFIG_INVALID` or
 * `CATALOG_REBUILD_*` error saying what is wrong otherwise.
 *
 * @example
 * const report = await rebuildCatalog(); // with LEGACY_URL, ADMIN_EMAIL, ADMIN_PASSWORD, DATABASE_URL, REDIS_URL, REDIS_PREFIX
 */
export async function rebuildCatalog(): Promise<RebuildReport> {
  // Checked before the context exists: a bad variable must not leave a database connection being opened.
  rebuildConfig();
  createDatabaseConfig(CATALOG_PROCESS_NAME)();
  const context = await NestFactory.createApplicationContext(CatalogRebuildModule, {
    logger: false,
    abortOnError: false,
  });
  try {
    return await context.get(CatalogRebuild).run();
  } finally {
    await context.close();
  }
}

/** The report as sentences, one per step, for people. */
export function describeRebuild(report: RebuildReport): string[] {
  const { deleted, groups, backfill } = report;
  return [
    `Emptied the read model: ${deleted.products} products, ${deleted.inboxMessages} inbox messages and ` +
      `${deleted.inboxSequences} inbox sequence rows of the consumer catalog deleted`,
    ...groups.map(
      (group) =>
        `${group.stream}: consumer group catalog ${group.group === 'created' ? 'created' : 'moved back'} at the start` +
        (group.consumersRemoved > 0 ? `, ${group.consumersRemoved} old consumers removed` : ''),
    ),
    `The monolith at ${report.legacyUrl} published ${backfill.products} product and ${backfill.customers} customer ` +
      'snapshots; the next catalog start rebuilds the read model from the streams and the snapshots',
  ];
}
