import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiErrorResponses } from '@app/api-conventions';
import { Roles } from '@app/auth';
import { LEGACY_ERRORS } from '../legacy-errors';
import { type BackfillReport, BackfillService } from './backfill.service';

const BackfillReportSchema = z
  .object({
    customers: z.int().describe('Customer snapshots written'),
    products: z.int().describe('Product snapshots written'),
  })
  .meta({ id: 'BackfillReport' });

@ApiTags('migration')
@ApiBearerAuth()
@Controller('api/admin/backfill')
export class BackfillHttpController {
  constructor(private readonly backfill: BackfillService) {}

  @Roles('admin')
  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Publish a snapshot of every customer and product (admin; not part of the public API).',
    description:
      'Writes `customer.snapshot` and `product.snapshot` events to the outbox, from which they are published to ' +
      'Redis streams, so a new service can build its data. Running it again is harmless.',
  })
  @ApiResponse({ status: 200, description: 'How many snapshots were written.', standardSchema: BackfillReportSchema })
  @ApiErrorResponses(LEGACY_ERRORS, 'UNAUTHENTICATED', 'FORBIDDEN')
  run(): Promise<BackfillReport> {
    return this.backfill.run();
  }
}
