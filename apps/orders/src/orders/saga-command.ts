import type { SagaCommand } from '@app/sagas';

/** What a saga step needs of a command's contract (`@app/contracts`' `defineCommand`). */
interface CommandContract {
  readonly service: string;
  readonly pattern: string;
  readonly schemaVersion: number;
}

/**
 * A step's command by its contract: sent to the contract's service, with its `schemaVersion` (the
 * runner adds the rest of the header), and the request headers given (`x-ficus-await`).
 */
export function sagaCommand(
  contract: CommandContract,
  request: Readonly<Record<string, unknown>>,
  headers?: Readonly<Record<string, string>>,
): SagaCommand {
  return {
    service: contract.service,
    pattern: contract.pattern,
    request: { schemaVersion: contract.schemaVersion, ...request },
    ...(headers ? { headers } : {}),
  };
}
