/**
 * The one base of every error a package means to report to its caller. Its `code` is
 * stable and machine-readable (`PRODUCT_NOT_FOUND`); it survives process boundaries,
 * where `instanceof` does not. Domain code throws these and never HTTP exceptions:
 * the exception filter maps codes to statuses through the app's error catalog.
 *
 * @example
 * export class ProductNotFoundError extends DomainError {
 *   constructor(id: string) { super('PRODUCT_NOT_FOUND', `No product has the id ${id}.`); }
 * }
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string | readonly string[],
  ) {
    super(typeof message === 'string' ? message : message.join('; '));
    this.name = new.target.name;
    this.messages = typeof message === 'string' ? message : [...message];
  }

  /** What clients see as `message`: a sentence, or a list of them (validation). */
  readonly messages: string | readonly string[];
}
