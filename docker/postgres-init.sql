-- One database per process of the stack (docker/compose.yaml names each in its DATABASE_URL).
CREATE DATABASE ficus_legacy;
CREATE DATABASE ficus_catalog;
CREATE DATABASE ficus_inventory;
CREATE DATABASE ficus_payments;
CREATE DATABASE ficus_orders;
