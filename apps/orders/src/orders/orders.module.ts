import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { SagasModule } from '@app/sagas';
import { ordersConfig } from '../orders.config';
import { ORDERS_PROCESS_NAME } from '../orders-process';
import { ApplyOrderEventsHandler } from './apply-order-events/apply-order-events.handler';
import { CancelOrderHandler } from './cancel-order/cancel-order.handler';
import { CancelOrderHttpController } from './cancel-order/cancel-order.http.controller';
import { CANCEL_ORDER_SAGA } from './cancel-order/cancel-order.saga';
import { GetOrderHandler } from './get-order/get-order.handler';
import { GetOrderHttpController } from './get-order/get-order.http.controller';
import { ListOrdersHandler } from './list-orders/list-orders.handler';
import { ListOrdersHttpController } from './list-orders/list-orders.http.controller';
import { OrderEnds } from './order-ends';
import { PlaceOrderHandler } from './place-order/place-order.handler';
import { PlaceOrderHttpController } from './place-order/place-order.http.controller';
import { PLACE_ORDER_SAGA } from './place-order/place-order.saga';

/** Orders: placement and cancellation (each a saga over inventory and payments), reads, and the monolith's orders. */
@Module({
  imports: [
    ConfigModule.forFeature(ordersConfig),
    SagasModule.forRoot({
      origin: ORDERS_PROCESS_NAME,
      sagas: [PLACE_ORDER_SAGA, CANCEL_ORDER_SAGA],
      onEnd: OrderEnds,
    }),
  ],
  controllers: [PlaceOrderHttpController, ListOrdersHttpController, GetOrderHttpController, CancelOrderHttpController],
  providers: [ApplyOrderEventsHandler, PlaceOrderHandler, ListOrdersHandler, GetOrderHandler, CancelOrderHandler],
})
export class OrdersModule {}
