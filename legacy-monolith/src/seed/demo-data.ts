/** The demo catalogue and customers: the same every run, so seeding twice finds what it made. */

export const DEMO_PRODUCT_COUNT = 1_000;
export const DEMO_CUSTOMER_COUNT = 100;
export const DEMO_CUSTOMER_PASSWORD = 'demo-password';

const ADJECTIVES = ['Classic', 'Compact', 'Deluxe', 'Eco', 'Heavy', 'Light', 'Mini', 'Pro', 'Smart', 'Vintage'];
const NOUNS = ['Mug', 'Lamp', 'Chair', 'Kettle', 'Backpack', 'Notebook', 'Headphones', 'Umbrella', 'Teapot', 'Clock'];
const COLOURS = ['Red', 'Blue', 'Green', 'Black', 'White', 'Grey', 'Yellow', 'Orange', 'Purple', 'Teal'];

export interface DemoProduct {
  readonly sku: string;
  readonly name: string;
  readonly priceCents: number;
  readonly stock: number;
}

export interface DemoCustomer {
  readonly name: string;
  readonly email: string;
  readonly depositCents: number;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function demoProduct(index: number): DemoProduct {
  const noun = NOUNS[index % NOUNS.length] ?? 'Thing';
  const adjective = ADJECTIVES[Math.floor(index / NOUNS.length) % ADJECTIVES.length] ?? 'Plain';
  const colour = COLOURS[Math.floor(index / 100) % COLOURS.length] ?? 'Plain';
  return {
    sku: `DEMO-${noun.toUpperCase()}-${pad(index + 1, 4)}`,
    name: `${adjective} ${colour} ${noun}`,
    priceCents: 199 + ((index * 7_919) % 49_800),
    stock: (index * 31) % 500,
  };
}

export function demoCustomer(index: number): DemoCustomer {
  return {
    name: `Demo Customer ${pad(index + 1, 3)}`,
    email: `customer${pad(index + 1, 3)}@example.com`,
    depositCents: 10_000 + ((index * 3_001) % 490_000),
  };
}
