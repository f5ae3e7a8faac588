import { Module } from '@nestjs/common';
import { ApplyCustomerEventsHandler } from './apply-customer-events.handler';
import { ApplyProductEventsHandler } from './apply-product-events.handler';

/** What orders knows of customers and products, built from their events. */
@Module({ providers: [ApplyCustomerEventsHandler, ApplyProductEventsHandler] })
export class ShoppersModule {}
