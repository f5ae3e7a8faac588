import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

/**
 * Preloaded into a service (`node -r …/cpu-profiler.js main.js`) when `BENCH_CPU_PROF` names
 * it, or installed by the facade's worker: `SIGUSR2` starts the V8 sampling profiler, the next
 * `SIGUSR2` stops it and writes the profile to `file` (`BENCH_CPU_PROF_FILE` when preloaded; a
 * `.cpuprofile` for Chrome DevTools or `profile-summary.js`). A signal rather than `--cpu-prof`,
 * because a service stopped with SIGTERM does not write one.
 */
export function installCpuProfiler(file: string): void {
  const session = new Session();
  session.connect();
  let running = false;
  process.on('SIGUSR2', () => {
    if (!running) {
      running = true;
      session.post('Profiler.enable', () =>
        session.post('Profiler.setSamplingInterval', { interval: 250 }, () => session.post('Profiler.start')),
      );
      return;
    }
    running = false;
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(file, JSON.stringify(result.profile));
    });
  });
}

const target = process.env.BENCH_CPU_PROF_FILE;
if (target) installCpuProfiler(target);
