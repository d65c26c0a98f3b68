// A good Unix citizen: when the reader of our output goes away (`auctionlab run x --json | head`),
// the write fails with EPIPE. That is not an error of ours: stop quietly, as `cat` does, with exit 0.

/** Makes a closed pipe on `stream` end the process quietly (exit 0) instead of with a stack trace. */
export function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') process.exit(0);
    throw e;
  });
}
