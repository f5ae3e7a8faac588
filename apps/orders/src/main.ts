import { listenHttpService, runMain } from '@app/service-defaults';
import { buildOrdersApp } from './orders-app';

runMain(async () => listenHttpService(await buildOrdersApp()));
