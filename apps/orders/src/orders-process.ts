/** The service's name: its `origin` in events and commands, and its default SQLite file. */
export const ORDERS_PROCESS_NAME = 'orders';
export const ORDERS_DEFAULT_PORT = 3002;
