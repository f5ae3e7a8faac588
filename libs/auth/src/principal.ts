export const ROLES = ['customer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who a verified token speaks for: a customer (its id) or an admin. */
export interface Principal {
  readonly id: string;
  readonly role: Role;
}

/** Customers act for themselves; admins act for anyone. */
export function mayActFor(principal: Principal, customerId: string): boolean {
  return principal.role === 'admin' || principal.id === customerId;
}
