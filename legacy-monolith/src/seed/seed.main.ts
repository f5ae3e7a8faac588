import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { runMain } from '@app/service-defaults';
import { LegacyAppModule } from '../legacy-app.module';
import { seedDemoData } from './seed-demo-data';

/** `npm run seed:legacy`: loads the demo data into the monolith's database (`DATABASE_URL`). */
runMain(async () => {
  const app = await NestFactory.createApplicationContext(LegacyAppModule, { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  try {
    await seedDemoData(app);
  } finally {
    await app.close();
  }
});
