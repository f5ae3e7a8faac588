/** Where the CLI writes: results and help on `out`, warnings and errors on `err`; one line (or more) per call. */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

/**
 * A stream the CLI writes lines to and that may go away: a reader that stops early
 * (`… | head -1`) closes the pipe, and the rest of the output has nowhere to go. Writes
 * after that are dropped, so the command ends as it would have, without a `write EPIPE` crash.
 */
function lineWriter(stream: NodeJS.WritableStream): (text: string) => void {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    closed = true;
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
  return (text) => {
    if (!closed) stream.write(`${text}\n`);
  };
}

/** The process's standard output and error. */
export function processOutput(stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): CliOutput {
  return { out: lineWriter(stdout), err: lineWriter(stderr) };
}
