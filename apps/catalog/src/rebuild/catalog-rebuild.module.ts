import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { DatabaseModule } from '@app/database';
import { CATALOG_PROCESS_NAME } from '../catalog-process';
import { CATALOG_SCHEMA } from '../database/catalog-schema';
import { CatalogRebuild } from './catalog-rebuild';
import { rebuildConfig } from './rebuild.config';

/** What the rebuild command needs: its configuration and the catalog's database (`DATABASE_URL`). */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [rebuildConfig] }),
    DatabaseModule.forRoot({ processName: CATALOG_PROCESS_NAME, ...CATALOG_SCHEMA }),
  ],
  providers: [CatalogRebuild],
})
export class CatalogRebuildModule {}
