import { SetMetadata } from '@nestjs/common';

/** Metadata key of routes that any caller may reach without credentials. */
export const ALLOW_ANONYMOUS = 'ficus:allow-anonymous';

/**
 * Marks a controller or route as open to anonymous callers. Authentication guards
 * (such as `@app/auth`'s) honour it; health and metrics routes carry it.
 */
export const AllowAnonymous = () => SetMetadata(ALLOW_ANONYMOUS, true);
