import { type Command, Help, Option } from 'commander';
import { DEFAULT_ADMIN_URL } from './admin-connection';

/** The heading of the options every command takes, in each command's help. */
export const GLOBAL_HEADING = 'Global options:';

/** The options every command takes (new instances: commander keeps state in them). */
export function globalOptions(): Option[] {
  return [
    new Option('--url <url>', `the admin API (default: $STRANGLER_ADMIN_URL, or ${DEFAULT_ADMIN_URL})`),
    new Option('--token <token>', 'the admin token (default: $STRANGLER_ADMIN_TOKEN)'),
    new Option('--author <name>', 'who makes a change, kept with it (default: $STRANGLER_AUTHOR, or user@host)'),
    new Option('--json', "print the admin API's JSON answer, and its error body on failure, for scripts"),
  ];
}

export const DESCRIPTION = 'Reads and changes the facade’s routing rules through its admin API.';

/** The end of the root's help. */
export const FOOTER = [
  'Writes send the version they expect (--expect, or the current one read just before); when another ' +
    'change came first the admin API refuses with STRANGLER_VERSION_CONFLICT: read the rules again and retry.',
  'Environment: STRANGLER_ADMIN_URL, STRANGLER_ADMIN_TOKEN and STRANGLER_AUTHOR (the options win). From the ' +
    'repository root while `npm start` runs, `npm run -s strangler -- …` finds the first two in data/stack.env.',
  "Exit status: 0 done; 1 refused or failed (the error's code and message are printed); 2 bad arguments " +
    '(the message and the usage are printed).',
]
  .map((paragraph) => `\n${wrap(paragraph)}`)
  .join('\n');

/** Text cut into lines of at most `width` characters, at spaces. */
export function wrap(text: string, width = 80): string {
  const lines: string[] = [];
  let line = '';
  // A `quoted command` stays on one line.
  for (const word of text.match(/`[^`]*`\S*|\S+/g) ?? []) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, line].join('\n');
}

/** A command's words after the program's name: `rules show`. */
function commandPath(command: Command): string {
  const words: string[] = [];
  for (let at: Command | null = command; at?.parent; at = at.parent) words.unshift(at.name());
  return words.join(' ');
}

function leaves(command: Command): Command[] {
  return command.commands.flatMap((sub) => (sub.commands.length > 0 ? leaves(sub) : [sub]));
}

/** The root's help lists every command of the table under its heading, not only the first words. */
export const HELP_CONFIGURATION: Partial<Help> = {
  visibleCommands(this: Help, command: Command): Command[] {
    return command.parent ? Help.prototype.visibleCommands.call(this, command) : leaves(command);
  },
  subcommandTerm(command: Command): string {
    const args = command.registeredArguments.map((arg) => {
      const name = `${arg.name()}${arg.variadic ? '...' : ''}`;
      return arg.required ? `<${name}>` : `[${name}]`;
    });
    const own = command.options.some((option) => option.helpGroupHeading !== GLOBAL_HEADING);
    // A help command of commander's own has no parent.
    const name = command.parent ? commandPath(command) : command.name();
    return [name, ...(own ? ['[options]'] : []), ...args].join(' ');
  },
};
