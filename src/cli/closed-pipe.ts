// A good Unix citizen: when the reader of our output goes away (`auctionlab run x --json | head`),
// the write fails with EPIPE. That is not an error of ours: stop quietly, as `cat` does, with exit 0.
// Any other failure to write (a full disk: `auctionlab schema scenario > /dev/full`) is said in one
// line on stderr, exit 1, never a stack trace.

/**
 * Makes a closed pipe on `stream` end the process quietly (exit 0), and any other write failure end
 * it with one line on stderr (when that is not the stream that failed) and exit 1.
 */
export function quietOnClosedPipe(stream: NodeJS.WriteStream, name = stream === process.stderr ? 'standard error' : 'standard output'): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') process.exit(0);
    if (stream !== process.stderr) {
      try {
        process.stderr.write(`auctionlab: cannot write to ${name}: ${e.code === 'ENOSPC' ? 'no space left on the device (ENOSPC)' : (e.code ?? e.message)}\n`);
      } catch {
        // stderr is gone too: the exit code says it.
      }
    }
    process.exit(1);
  });
}
