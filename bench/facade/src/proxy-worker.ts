import { startProxy } from './contenders';
import type { ProxyArguments } from './protocol';
import { serveProcess } from './serve';

/** One proxy contender in a process of its own, so it never shares an event loop with another. */
if (require.main === module) {
  const args = JSON.parse(process.argv[2] ?? '{}') as ProxyArguments;
  serveProcess(() => startProxy(args));
}
