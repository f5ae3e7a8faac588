import { ApplyOrderEventsHandler } from './apply-order-events/apply-order-events.handler';
import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { CustomersModule } from '../customers/customers.module';
import { CancelOrderHandler } from './cancel-order/cancel-order.handler';
import { CancelOrderHttpController } from './cancel-order/cancel-order.http.controller';
import { GetOrderHandler } from './get-order/get-order.handler';
import { GetOrderHttpController } from './get-order/get-order.http.controller';
import { ListOrdersHandler } from './list-orders/list-orders.handler';
import { ListOrdersHttpController } from './list-orders/list-orders.http.controller';
import { PlaceOrderHandler } from './place-order/place-order.handler';
import { PlaceOrderHttpController } from './place-order/place-order.http.controller';

/** Orders: placement and cancellation (each one transaction over stock and wallets), and reads. */
@Module({
  imports: [CatalogModule, CustomersModule],
  controllers: [PlaceOrderHttpController, ListOrdersHttpController, GetOrderHttpController, CancelOrderHttpController],
  providers: [ApplyOrderEventsHandler, PlaceOrderHandler, ListOrdersHandler, GetOrderHandler, CancelOrderHandler],
})
export class OrdersModule {}
