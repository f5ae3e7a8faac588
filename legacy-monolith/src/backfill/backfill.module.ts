import { Module } from '@nestjs/common';
import { BackfillHttpController } from './backfill.http.controller';
import { BackfillService } from './backfill.service';

/** Snapshots of the monolith's state for services that start from nothing. */
@Module({ controllers: [BackfillHttpController], providers: [BackfillService], exports: [BackfillService] })
export class BackfillModule {}
