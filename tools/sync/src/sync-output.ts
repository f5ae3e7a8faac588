/** Where the check writes: results on `out`, progress and errors on `err`; one line per call. */
export interface SyncOutput {
  out(line: string): void;
  err(line: string): void;
}

/**
 * A stream that may go away: a reader that stops early (`… | head -1`) closes the pipe, and
 * later lines are dropped instead of crashing with `write EPIPE`.
 */
function lineWriter(stream: NodeJS.WritableStream): (line: string) => void {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    closed = true;
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
  return (line) => {
    if (!closed) stream.write(`${line}\n`);
  };
}

/** The process's standard output and error. */
export function processOutput(stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): SyncOutput {
  return { out: lineWriter(stdout), err: lineWriter(stderr) };
}
