export {
  DEFAULT_PIN_TIMEOUT_MS,
  IdempotencyPins,
  type IdempotencyPinsOptions,
  PIN_HEADER,
  type PinView,
} from './idempotency-pins';
export { PINNED_METHODS, callerOf, pinKeyOf } from './pin-key';
export { type PinOutcome, pinnedDecision } from './pinned-decision';
