import { createCommandContext, runMain } from '@app/service-defaults';
import { LegacyAppModule } from '../legacy-app.module';
import { seedDemoData } from './seed-demo-data';

/** `npm run seed:legacy`: loads the demo data into the monolith's database (`DATABASE_URL`). */
runMain(
  async (logger) => {
    const app = await createCommandContext(LegacyAppModule, logger);
    try {
      await seedDemoData(app);
    } finally {
      await app.close();
    }
  },
  { processName: 'legacy-seed' },
);
