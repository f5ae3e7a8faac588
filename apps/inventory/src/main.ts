import { listenHttpService, runMain } from '@app/service-defaults';
import { buildInventoryApp } from './inventory-app';

runMain(async () => listenHttpService(await buildInventoryApp()));
