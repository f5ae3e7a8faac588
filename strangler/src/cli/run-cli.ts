import { AdminClient } from './admin-client';
import { AdminApiError, CliError, EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from './cli-errors';
import { resolveConnection } from './cli-options';
import type { CliOutput } from './cli-output';
import { setRouteOrGroup } from './commands/change.commands';
import { audit, explain, status, traffic } from './commands/routing.commands';
import { applyRules, rollback, showDiff, showHistory, showRules } from './commands/rules.commands';
import { type Command, parseCommand } from './parse-command';
import { USAGE } from './usage';

function execute(client: AdminClient, output: CliOutput, json: boolean, command: Command): Promise<void> {
  switch (command.kind) {
    case 'help':
      output.out(USAGE);
      return Promise.resolve();
    case 'rules-show':
      return showRules(client, output, json, command.version);
    case 'rules-history':
      return showHistory(client, output, json, command);
    case 'rules-diff':
      return showDiff(client, output, json, command.from, command.to);
    case 'rules-apply':
      return applyRules(client, output, json, command);
    case 'rules-rollback':
      return rollback(client, output, json, command);
    case 'route-set':
    case 'group-set':
      return setRouteOrGroup(client, output, json, {
        ...command,
        what: command.kind === 'route-set' ? 'routes' : 'groups',
      });
    case 'explain':
      return explain(client, output, json, command);
    case 'audit':
      return audit(client, output, json, command.limit);
    case 'traffic':
      return traffic(client, output, json, command.minutes);
    case 'status':
      return status(client, output, json);
  }
}

/**
 * Runs one CLI invocation and returns its exit status: 0 done, 1 the API refused or could
 * not be reached (with the error's code and message), 2 bad arguments (with the usage).
 */
export async function runCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  output: CliOutput,
): Promise<number> {
  let json = argv.includes('--json');
  try {
    const invocation = parseCommand(argv);
    json = invocation.json;
    if (invocation.command.kind === 'help') {
      output.out(USAGE);
      return EXIT_OK;
    }
    const client = new AdminClient(resolveConnection(invocation, env));
    await execute(client, output, json, invocation.command);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`strangler: ${error.message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    if (error instanceof AdminApiError) {
      if (json) output.err(JSON.stringify(error.body ?? { code: error.code, message: error.messages }, null, 2));
      else if (error.messages.length === 1) output.err(`error ${error.code} (${error.status}): ${error.messages[0]}`);
      else output.err([`error ${error.code} (${error.status}):`, ...error.messages.map((m) => `  - ${m}`)].join('\n'));
      return EXIT_FAILED;
    }
    if (error instanceof CliError) {
      output.err(`error: ${error.message}`);
      return EXIT_FAILED;
    }
    output.err(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return EXIT_FAILED;
  }
}
