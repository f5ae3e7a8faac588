import type { AdminClient } from './admin-client';
import type { CliOutput } from './cli-output';
import type { ValueReader } from './command-values';

/** An argument of a command, as `<A>` in `rules diff <A> <B>`. */
export interface CliArgument<T = unknown> {
  /** `<name>` when required, `[name]` when optional. */
  readonly name: string;
  readonly description: string;
  /** Reads the text given (a method, so that a table can hold arguments of every type). */
  read?(text: string): T;
}

/** An option of a command: a flag (`--dry-run`) or an option with a value (`--version <V>`). */
export interface CliOption<T = unknown> {
  /** As commander reads them: `--version <V>`, `-H, --header <'name: value'>`. */
  readonly flags: string;
  readonly description: string;
  /** Reads the text given, with the value so far when the option repeats. */
  read?(text: string, previous?: T): T;
}

/** What a command runs with. */
export interface CommandContext {
  readonly client: AdminClient;
  readonly output: CliOutput;
  /** `--json`: print the admin API's answer instead of text for people. */
  readonly json: boolean;
}

type ArgumentValues<A extends readonly CliArgument[]> = { readonly [K in keyof A]: ValueOf<A[K]> };
type OptionValues<O extends Readonly<Record<string, CliOption>>> = { readonly [K in keyof O]?: ValueOf<O[K]> };
type ValueOf<V> = V extends CliOption<infer T> ? T : V extends CliArgument<infer T> ? T : never;

/** One row of the CLI's table of commands: its name, help, arguments and options, and what it does. */
export interface CliCommand<
  A extends readonly CliArgument[] = readonly CliArgument[],
  O extends Readonly<Record<string, CliOption>> = Readonly<Record<string, CliOption>>,
  Input = unknown,
> {
  /** The words that name it: `rules show`, `traffic`. */
  readonly name: string;
  /** One line, in the list of commands. */
  readonly summary: string;
  /** More, at the end of its own help. */
  readonly details?: string;
  readonly arguments?: A;
  /** By the name commander gives the value: `--sticky-by` is `stickyBy`. */
  readonly options?: O;
  /** The command's input from the values read; throws `UsageError` when they do not fit together. */
  input(args: ArgumentValues<A>, options: OptionValues<O>): Input;
  run(context: CommandContext, input: Input): Promise<void>;
}

/**
 * A command of the table, its types checked where it is declared: `input` gets the values
 * its arguments and options read, `run` the input `input` returned.
 *
 * @example
 * export const audit = defineCommand({
 *   name: 'audit',
 *   summary: 'the audit log of rule changes',
 *   options: { limit: option('--limit <N>', 'at most N entries', integerValue('--limit', 1, 100)) },
 *   input: (_, { limit }) => ({ limit }),
 *   async run({ client, output }, { limit }) {
 *     output.out(JSON.stringify(await client.get(`/admin/audit?limit=${limit ?? 20}`)));
 *   },
 * });
 */
export function defineCommand<const A extends readonly CliArgument[], const O extends Record<string, CliOption>, Input>(
  command: CliCommand<A, O, Input>,
): CliCommand {
  return command as unknown as CliCommand;
}

/** An argument; without `read`, its value is the text given. */
export function argument(name: string, description: string): CliArgument<string>;
export function argument<T>(name: string, description: string, read: ValueReader<T>): CliArgument<T>;
export function argument(name: string, description: string, read?: ValueReader<unknown>): CliArgument {
  return { name, description, read };
}

/** An option with a value; without `read`, its value is the text given. */
export function option(flags: string, description: string): CliOption<string>;
export function option<T>(flags: string, description: string, read: ValueReader<T>): CliOption<T>;
export function option(flags: string, description: string, read?: ValueReader<unknown>): CliOption {
  return { flags, description, read };
}

/** An option without a value: `true` when given. */
export const flag = (flags: string, description: string): CliOption<boolean> => ({ flags, description });
