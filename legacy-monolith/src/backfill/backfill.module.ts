import { Module } from '@nestjs/common';
import { BackfillHttpController } from './backfill.http.controller';
import { BackfillService } from './backfill.service';
import { CustomerSnapshots } from './customer-snapshots';
import { ProductSnapshots } from './product-snapshots';

/** What the monolith snapshots for consumers whose gap its outbox no longer covers. */
export const LEGACY_SNAPSHOT_SOURCES = [CustomerSnapshots, ProductSnapshots];

/** Snapshots of the monolith's state for services that start from nothing. */
@Module({
  controllers: [BackfillHttpController],
  providers: [BackfillService, CustomerSnapshots, ProductSnapshots],
  exports: [BackfillService],
})
export class BackfillModule {}
