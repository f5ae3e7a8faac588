import { CommanderError } from 'commander';
import { AdminClient } from './admin-client';
import type { CliEnvironment } from './admin-connection';
import { type Invocation, buildProgram } from './build-program';
import { AdminApiError, CliError, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './cli-errors';
import type { CliOutput } from './cli-output';

/** A command line read: the command to run, or the exit status when there is none (help, bad arguments). */
export type ParsedCommandLine = { readonly invocation: Invocation } | { readonly exitCode: number };

/**
 * Reads a command line (without `node` and the script) against the table of commands. Help
 * and usage errors are written to `output` here; nothing is sent to the admin API.
 */
export function parseCommandLine(argv: readonly string[], env: CliEnvironment, output: CliOutput): ParsedCommandLine {
  let invocation: Invocation | undefined;
  const program = buildProgram(output, env, (found) => (invocation = found));
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return { exitCode: error.exitCode === 0 ? EXIT_OK : EXIT_USAGE };
    throw error;
  }
  return invocation ? { invocation } : { exitCode: EXIT_OK };
}

function report(output: CliOutput, json: boolean, error: unknown): void {
  if (error instanceof AdminApiError) {
    if (json) output.err(JSON.stringify(error.body ?? { code: error.code, message: error.messages }, null, 2));
    else if (error.messages.length === 1) output.err(`error ${error.code} (${error.status}): ${error.messages[0]}`);
    else output.err([`error ${error.code} (${error.status}):`, ...error.messages.map((m) => `  - ${m}`)].join('\n'));
  } else if (error instanceof CliError) {
    output.err(`error: ${error.message}`);
  } else {
    output.err(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
}

/**
 * Runs one CLI invocation in-process and returns its exit status: 0 done; 1 the admin API
 * refused or could not be reached, or a file could not be read (the error's code and message
 * on `output.err`); 2 bad arguments (the message and the command's help on `output.err`).
 *
 * @example
 * const code = await runCli(['rules', 'show', '--json'], { STRANGLER_ADMIN_TOKEN: token }, output);
 */
export async function runCli(argv: readonly string[], env: CliEnvironment, output: CliOutput): Promise<number> {
  const parsed = parseCommandLine(argv, env, output);
  if (!('invocation' in parsed)) return parsed.exitCode;
  const { command, input, json, connection } = parsed.invocation;
  try {
    await command.run({ client: new AdminClient(connection), output, json }, input);
    return EXIT_OK;
  } catch (error) {
    report(output, json, error);
    return EXIT_FAILED;
  }
}
