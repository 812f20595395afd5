// Preloaded into the Prisma 6 CLI (node --require): a timer of 5 s or more (the WebAssembly schema
// engine's 10 s timeouts, pg-pool's idle timers) no longer keeps the process alive once the CLI is
// done, so that each call returns as soon as its work ends instead of about 10 s later.
const setTimeoutOriginal = globalThis.setTimeout;
globalThis.setTimeout = function setTimeout(callback, ms, ...args) {
  const timer = setTimeoutOriginal.call(this, callback, ms, ...args);
  if (ms >= 5000 && typeof timer?.unref === 'function') timer.unref();
  return timer;
};
