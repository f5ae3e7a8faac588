/** The message every contender sends: a small JSON object of about 200 bytes. */
export interface BenchMessage {
  readonly orderId: string;
  readonly customerId: string;
  readonly items: readonly { readonly sku: string; readonly quantity: number; readonly priceCents: number }[];
  readonly totalCents: number;
  readonly currency: string;
  readonly placedAt: string;
}

export const MESSAGE: BenchMessage = {
  orderId: '7f3c9a2e-5b1d-4e8f-9a6c-2d4b8e1f0a37',
  customerId: 'cus_8192a3b4',
  items: [{ sku: 'SKU-100234', quantity: 2, priceCents: 1999 }],
  totalCents: 3998,
  currency: 'EUR',
  placedAt: '2026-11-22T10:15:30.000Z',
};

export const MESSAGE_BYTES = Buffer.byteLength(JSON.stringify(MESSAGE));
