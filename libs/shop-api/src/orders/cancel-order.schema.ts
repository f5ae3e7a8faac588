import { z } from 'zod';

/** The route takes no body; an empty object is accepted, any field is unknown. */
export const CancelOrderBodySchema = z.strictObject({}).optional().meta({ id: 'CancelOrderRequest' });
