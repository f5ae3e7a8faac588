import { createContender } from './contenders';
import type { WorkerArguments, WorkerCommand, WorkerReply } from './protocol';
import { LatencyRecorder } from '../../common/src/stats';

/**
 * One contender in a process of its own, driven round by round by the coordinator over IPC.
 * Contenders are kept apart because what one leaves in a process slows the others there:
 * the transport's AsyncLocalStorage turns on promise hooks for every later promise, and
 * node-redis's per-command timeout timers outlive the round that armed them.
 */
async function main(): Promise<void> {
  const send = (reply: WorkerReply) => process.send?.(reply);
  const { contender: name, config } = JSON.parse(process.argv[2] ?? '{}') as WorkerArguments;
  const contender = createContender(name, config);
  await contender.start();
  process.on('message', (command: WorkerCommand) => {
    void (async () => {
      try {
        if (command.type === 'events') {
          send({ type: 'events', ms: await contender.eventsRound(command.count) });
        } else if (command.type === 'requests') {
          const latencies = new LatencyRecorder(command.count);
          const ms = await contender.requestsRound(command.count, command.callers, latencies);
          const { p50, p99 } = latencies.summary();
          send({ type: 'requests', ms, p50Ms: p50, p99Ms: p99 });
        } else {
          await contender.stop();
          process.send?.({ type: 'stopped' } satisfies WorkerReply, () => process.exit(0));
        }
      } catch (error) {
        send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
    })();
  });
  send({ type: 'ready' });
}

main().catch((error: unknown) => {
  process.send?.({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
  process.disconnect?.();
});
