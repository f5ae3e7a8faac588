import { Argument, Command, Option } from 'commander';
import { type CliEnvironment, type Connection, resolveConnection } from './admin-connection';
import type { CliCommand } from './cli-command';
import { EXIT_USAGE, UsageError } from './cli-errors';
import type { CliOutput } from './cli-output';
import type { ValueReader } from './command-values';
import { COMMAND_SECTIONS } from './commands';
import { DESCRIPTION, FOOTER, GLOBAL_HEADING, HELP_CONFIGURATION, globalOptions, wrap } from './program-help';

/** How people run the CLI; the help's usage lines start with it. */
const PROGRAM_NAME = 'npm run -s strangler --';

/** What commander reports a usage error of ours with. */
const USAGE_ERROR_CODE = 'strangler.usage';

/** A command line read: the command from the table, its input and where to send it. */
export interface Invocation {
  readonly command: CliCommand;
  readonly input: unknown;
  readonly json: boolean;
  readonly connection: Connection;
}

/** Commander keeps no `null` (it makes it ""): a value of `none` is kept as this until it is handed over. */
const NONE = Symbol('none');

/** Calls `read`, and reports its UsageError as commander reports its own: the message, then the command's help. */
function reporting<T>(command: Command, read: ValueReader<T>): (text: string, previous: unknown) => unknown {
  return (text, previous) => {
    try {
      const value = read(text, previous as T);
      return value === null ? NONE : value;
    } catch (error) {
      if (error instanceof UsageError) command.error(error.message, { exitCode: EXIT_USAGE, code: USAGE_ERROR_CODE });
      throw error;
    }
  };
}

/** The values of `keys` that were given. */
function pick(values: Readonly<Record<string, unknown>>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(
    keys.filter((key) => values[key] !== undefined).map((key) => [key, values[key] === NONE ? null : values[key]]),
  );
}

function addCommand(
  program: Command,
  spec: CliCommand,
  heading: string,
  env: CliEnvironment,
  found: (invocation: Invocation) => void,
): void {
  const words = spec.name.split(' ');
  let parent = program;
  for (const word of words.slice(0, -1)) {
    parent = parent.commands.find((sub) => sub.name() === word) ?? parent.command(word).helpGroup(`${heading}:`);
  }
  const command = parent
    .command(words.at(-1) as string)
    .description(spec.summary)
    .helpGroup(`${heading}:`);
  for (const { name, description, read } of spec.arguments ?? []) {
    const argument = new Argument(name, description);
    if (read) argument.argParser(reporting(command, read));
    command.addArgument(argument);
  }
  const keys = Object.keys(spec.options ?? {});
  for (const [key, { flags, description, read }] of Object.entries(spec.options ?? {})) {
    const option = new Option(flags, description);
    if (option.attributeName() !== key) throw new Error(`${spec.name}: ${flags} is read as ${option.attributeName()}`);
    if (read) option.argParser(reporting(command, read));
    command.addOption(option);
  }
  // Also on each command, so that they may come after the command's own options.
  for (const option of globalOptions()) command.addOption(option.helpGroup(GLOBAL_HEADING));
  command.addHelpOption(new Option('-h, --help', 'show this help').helpGroup(GLOBAL_HEADING));
  if (spec.details) command.addHelpText('after', `\n${wrap(spec.details)}`);
  command.action((...params: unknown[]) => {
    const self = params.at(-1) as Command;
    const globals = self.optsWithGlobals<{ url?: string; token?: string; author?: string; json?: boolean }>();
    try {
      const args = self.processedArgs.map((value: unknown) => (value === NONE ? null : value));
      const input = spec.input(args, pick(self.opts(), keys));
      found({ command: spec, input, json: globals.json === true, connection: resolveConnection(globals, env) });
    } catch (error) {
      if (error instanceof UsageError) self.error(error.message, { exitCode: EXIT_USAGE, code: USAGE_ERROR_CODE });
      throw error;
    }
  });
}

/**
 * The commander program of the table of commands (`commands/index.ts`): it reads a command line,
 * writes help and usage errors to `output`, and hands the command it found to `found`. It never
 * exits the process: commander's exits are thrown as `CommanderError`s.
 */
export function buildProgram(output: CliOutput, env: CliEnvironment, found: (invocation: Invocation) => void): Command {
  const chomp = (text: string) => text.replace(/\n$/, '');
  const program = new Command(PROGRAM_NAME)
    .usage('<command> [options]')
    .description(DESCRIPTION)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => output.out(chomp(text)),
      writeErr: (text) => output.err(chomp(text)),
      outputError: (text, write) => {
        const message = text.replace(/^error: /, '');
        write(`strangler: ${message.charAt(0).toUpperCase()}${message.slice(1)}`);
      },
    })
    .showHelpAfterError()
    .helpCommand(false)
    .addHelpText('after', FOOTER)
    .configureHelp(HELP_CONFIGURATION);
  for (const option of globalOptions()) program.addOption(option);
  for (const section of COMMAND_SECTIONS) {
    for (const command of section.commands) addCommand(program, command, section.heading, env, found);
  }
  for (const group of program.commands) {
    if (group.commands.length > 0) group.description(group.commands.map((sub) => sub.name()).join(', '));
  }
  program
    .command('help')
    .argument('[command...]', 'a command, e.g. rules show')
    .description('the help of a command')
    .helpGroup('Help:')
    .action((words: string[]) => {
      let command = program;
      for (const word of words) {
        const next = command.commands.find((sub) => sub.name() === word);
        if (!next) command.error(`unknown command '${words.join(' ')}'`, { exitCode: EXIT_USAGE });
        command = next as Command;
      }
      command.outputHelp();
    });
  return program;
}
