// Preloaded into Azurite (node --require) by AzuriteServer. Azurite shuts down cleanly on SIGINT, saving its metadata
// database, which it otherwise saves only every few seconds. Signals are not portable, so the parent asks by closing
// this process's standard input. That also happens when the parent dies, however it dies, so an orphaned emulator
// never keeps its port and memory.
const forcedExitAfterMs = 10000;

process.stdin.on('end', () => {
  setTimeout(() => process.exit(0), forcedExitAfterMs).unref();
  if (process.listenerCount('SIGINT') === 0) {
    process.exit(0); // Still starting: nothing to save yet.
  }
  process.emit('SIGINT');
});
process.stdin.on('error', () => process.stdin.emit('end'));
process.stdin.resume();
