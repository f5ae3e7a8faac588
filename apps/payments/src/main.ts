import { listenHttpService, runMain } from '@app/service-defaults';
import { buildPaymentsApp } from './payments-app';

runMain(async () => listenHttpService(await buildPaymentsApp()));
