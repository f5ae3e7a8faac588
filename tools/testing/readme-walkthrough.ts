/**
 * Reads the shell blocks of a README that a test runs as written. A block runs when the line
 * before its fence (blank lines aside) is `<!-- walkthrough -->` (while the stack runs) or
 * `<!-- walkthrough: stopped -->` (once it has stopped). Inside a block:
 *
 * - a line ending with `\` continues on the next line;
 * - `#` lines right under a command (no blank line between) are what it prints, line by line,
 *   where `…` stands for any text and a line of only `…` for any lines; other `#` lines are comments;
 * - a command with no such lines only has to succeed.
 */

export type WalkthroughPhase = 'running' | 'stopped';

export interface WalkthroughCommand {
  /** The command as written, continuation lines included. */
  readonly text: string;
  /** What it prints, or undefined when the README shows nothing. */
  readonly expected: readonly string[] | undefined;
  /** Its first line in the README (1-based), for messages. */
  readonly line: number;
}

export interface WalkthroughBlock {
  readonly phase: WalkthroughPhase;
  readonly commands: readonly WalkthroughCommand[];
}

const MARKER = /^<!--\s*walkthrough(?::\s*(stopped))?\s*-->$/;
const FENCE = /^```(\w*)\s*$/;

/** The blocks to run, in the README's order. */
export function walkthroughBlocks(markdown: string): WalkthroughBlock[] {
  const lines = markdown.split('\n');
  const blocks: WalkthroughBlock[] = [];
  let pending: WalkthroughPhase | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index].trim();
    const marker = MARKER.exec(line);
    if (marker) {
      pending = marker[1] ? 'stopped' : 'running';
      continue;
    }
    if (line === '') continue;
    const fence = FENCE.exec(line);
    if (fence && pending) {
      if (fence[1] !== 'sh') throw new Error(`README line ${index + 1}: a walkthrough block must be \`\`\`sh`);
      const end = lines.findIndex((candidate, at) => at > index && candidate.trim() === '```');
      if (end < 0) throw new Error(`README line ${index + 1}: the walkthrough block is not closed`);
      blocks.push({ phase: pending, commands: commandsOf(lines.slice(index + 1, end), index + 2) });
      index = end;
    }
    pending = undefined;
  }
  return blocks;
}

function commandsOf(lines: readonly string[], firstLine: number): WalkthroughCommand[] {
  const commands: { text: string; expected: string[] | undefined; line: number }[] = [];
  let current: (typeof commands)[number] | undefined;
  let continuing = false;
  lines.forEach((raw, offset) => {
    const line = raw.replace(/\s+$/, '');
    if (continuing && current) {
      current.text += `\n${line}`;
      continuing = line.endsWith('\\');
      return;
    }
    if (line === '') {
      current = undefined;
      return;
    }
    if (line.startsWith('#')) {
      if (current) (current.expected ??= []).push(line.replace(/^# ?/, ''));
      return;
    }
    current = { text: line, expected: undefined, line: firstLine + offset };
    commands.push(current);
    continuing = line.endsWith('\\');
  });
  return commands;
}

/**
 * Whether `printed` is what the README shows: the same lines, `…` in a line standing for any
 * text, and a line that is only `…` for any number of lines.
 */
export function printedAsShown(printed: string, expected: readonly string[]): boolean {
  const lines = printed
    .replace(/\r/g, '')
    .replace(/\n+$/, '')
    .split('\n')
    .map((line) => line.replace(/\s+$/, ''));
  const matches = (line: number, shown: number): boolean => {
    if (shown === expected.length) return line === lines.length;
    if (expected[shown] === '…') {
      for (let skip = line; skip <= lines.length; skip++) if (matches(skip, shown + 1)) return true;
      return false;
    }
    return line < lines.length && shownPattern(expected[shown]).test(lines[line]) && matches(line + 1, shown + 1);
  };
  return matches(0, 0);
}

function shownPattern(shown: string): RegExp {
  const parts = shown.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`);
}

/** Whether running the command again changes nothing: a `curl` that only reads. */
export function isRead(command: string): boolean {
  return /^curl\s/.test(command) && !/(\s-d\s|\s--data|\s-X\s*(POST|PUT|PATCH|DELETE))/.test(command);
}
