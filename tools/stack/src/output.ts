import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';

/** Where the launcher writes lines: the launcher's own stdout and stderr, or a test's buffer. */
export interface StackOutput {
  out(line: string): void;
  err(line: string): void;
}

/** Plain lines on the launcher's stdout and stderr; a closed pipe (`npm start | head`) is not an error. */
export function consoleOutput(): StackOutput {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  return {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  };
}

/** The launcher's own lines: `[stack] …`. */
export function stackLog(output: StackOutput, line: string): void {
  output.out(`[stack] ${line}`);
}

/** Writes each line of `stream` through `write`, prefixed. */
export function pipeLines(stream: Readable, prefix: string, write: (line: string) => void): Promise<void> {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  lines.on('line', (line) => write(`${prefix}${line}`));
  return new Promise((resolve) => lines.once('close', () => resolve()));
}
