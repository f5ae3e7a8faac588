import { listenHttpService, runMain } from '@app/service-defaults';
import { buildLegacyApp } from './legacy-app';

runMain(async () => listenHttpService(await buildLegacyApp()));
