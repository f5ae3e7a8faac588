import { listenHttpService, runMain } from '@app/service-defaults';
import { buildCatalogApp } from './catalog-app';

runMain(async () => listenHttpService(await buildCatalogApp()));
