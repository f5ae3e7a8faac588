import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { findRepositoryRoot } from '../../../tools/stack/src/repository-root';
import { RedisProcess } from '../../../tools/testing/redis-process';
import { describeMachine } from '../../common/src/machine';
import { runBenchmark } from '../../common/src/run';
import { median, round } from '../../common/src/stats';
import { BENCHES, type KeyFigure, figuresOf } from './benches';
import { type Build, workingTree, worktreeBuild } from './builds';

const log = (line: string) => process.stderr.write(`${line}\n`);
const REPO_ROOT = findRepositoryRoot(__dirname);

const USAGE = `Usage: npm run bench:compare -- --base <revision> [options]

Runs benchmarks on a build of <revision> and on the current build, the two alternately round by
round (each round one run of the benchmark with BENCH_ROUNDS=<bench-rounds>), and reports the
medians and current/base ratios. The last line of output is one JSON object.

  --base <revision>      the build to compare against, e.g. 53e0934 (required)
  --current <revision>   build this revision too instead of using the working tree (default: the
                         working tree, as npm run build has just compiled it)
  --bench <names>        comma-separated benchmarks: ${Object.keys(BENCHES).join(', ')} (default: all)
  --rounds <n>           runs of each benchmark on each build (default 5)
  --bench-rounds <n>     BENCH_ROUNDS of each run (default 1; its warm-up rounds stay the benchmark's own)
  --tolerance <ratio>    how much worse a key figure may be (default 0.1: within 10 %)
  --install              npm ci in a worktree whose package-lock.json differs from this checkout's
  --help                 this text

Every BENCH_* variable of the environment reaches both builds' runs (BENCH_ROUNDS is set from
--bench-rounds). Both run against one redis-server started for the comparison on a free port.`;

interface Options {
  readonly base: string;
  readonly current: string | undefined;
  readonly benches: readonly string[];
  readonly rounds: number;
  readonly benchRounds: number;
  readonly tolerance: number;
  readonly install: boolean;
}

function positive(name: string, raw: string | undefined, fallback: number, integer = true): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!(value > 0) || (integer && !Number.isInteger(value))) throw new Error(`--${name} must be a positive number`);
  return value;
}

function parseOptions(argv: readonly string[]): Options | undefined {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      base: { type: 'string' },
      current: { type: 'string' },
      bench: { type: 'string', multiple: true },
      rounds: { type: 'string' },
      'bench-rounds': { type: 'string' },
      tolerance: { type: 'string' },
      install: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return undefined;
  if (!values.base) throw new Error(`--base is required\n\n${USAGE}`);
  const benches = (values.bench ?? []).flatMap((list) => list.split(',')).filter(Boolean);
  const unknown = benches.filter((name) => !(name in BENCHES));
  if (unknown.length > 0)
    throw new Error(`--bench: unknown ${unknown.join(', ')} (${Object.keys(BENCHES).join(', ')})`);
  return {
    base: values.base,
    current: values.current,
    benches: benches.length > 0 ? benches : Object.keys(BENCHES),
    rounds: positive('rounds', values.rounds, 5),
    benchRounds: positive('bench-rounds', values['bench-rounds'], 1),
    tolerance: positive('tolerance', values.tolerance, 0.1, false),
    install: values.install,
  };
}

/** One run of a benchmark on a build: its last line of output, parsed. */
function runBench(build: Build, name: string, env: NodeJS.ProcessEnv): Promise<unknown> {
  const entry = join(build.root, BENCHES[name]!.entry);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry], { cwd: build.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    createInterface({ input: child.stderr }).on('line', (line) => log(`[${build.side} ${name}] ${line}`));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`${build.side} ${name} exited with ${signal ?? code}:\n${stdout}`));
      try {
        resolve(JSON.parse(last));
      } catch {
        reject(new Error(`${build.side} ${name}: its last line is not JSON: ${last}`));
      }
    });
  });
}

const ratio = (current: number, base: number) => round(current / base, 3);

/** Medians and ratios of one benchmark's runs on both builds. */
function compareRuns(
  key: readonly KeyFigure[],
  runs: { base: Record<string, number>[]; current: Record<string, number>[] },
  tolerance: number,
) {
  const values = (side: 'base' | 'current', path: string) =>
    runs[side].map((figures) => figures[path]).filter((value): value is number => value !== undefined);
  const paths = [...new Set(runs.base.flatMap((figures) => Object.keys(figures)))].filter(
    (path) => values('current', path).length > 0,
  );
  const figures = Object.fromEntries(
    paths.map((path) => {
      const base = median(values('base', path));
      const current = median(values('current', path));
      return [path, { base: round(base, 3), current: round(current, 3), ratio: ratio(current, base) }];
    }),
  );
  const keyFigures = Object.fromEntries(
    key
      .filter(({ path }) => path in figures)
      .map(({ path, better }) => {
        const { base, current, ratio: r } = figures[path]!;
        // Each round's two runs ran back to back: the median of their ratios shows drift between rounds.
        const paired = runs.base.map(
          (figuresOfRun, i) => (runs.current[i]?.[path] ?? NaN) / (figuresOfRun[path] ?? NaN),
        );
        const within = better === 'higher' ? r >= 1 - tolerance : r <= 1 + tolerance;
        return [
          path,
          {
            better,
            base,
            current,
            ratio: r,
            pairedRatio: round(median(paired.filter(Number.isFinite)), 3),
            within,
            baseRuns: values('base', path).map((value) => round(value, 3)),
            currentRuns: values('current', path).map((value) => round(value, 3)),
          },
        ];
      }),
  );
  return {
    key: keyFigures,
    allWithin: Object.values(keyFigures).every((figure) => figure.within),
    figures,
  };
}

function formatTable(report: {
  base: { revision: string };
  current: { revision: string };
  tolerance: number;
  benches: Record<string, ReturnType<typeof compareRuns>>;
}): string {
  const lines = [`current (${report.current.revision}) against base (${report.base.revision}), medians:`];
  for (const [name, bench] of Object.entries(report.benches)) {
    lines.push(`${name}:`);
    for (const [path, figure] of Object.entries(bench.key)) {
      const verdict = figure.within ? 'within' : 'OUTSIDE';
      lines.push(
        `  ${path.padEnd(40)} ${String(figure.base).padStart(10)} → ${String(figure.current).padStart(10)}  ×${figure.ratio} (${figure.better} is better; ${verdict} ${report.tolerance * 100} %)`,
      );
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!options) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const started = performance.now();
  const builds: Build[] = [];
  let redis: RedisProcess | undefined;
  const cleanUp = async () => {
    await redis?.stop();
    for (const build of builds) await build.remove();
  };
  process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));
  try {
    builds.push(await worktreeBuild(REPO_ROOT, 'base', options.base, options.install));
    builds.push(
      options.current === undefined
        ? await workingTree(REPO_ROOT)
        : await worktreeBuild(REPO_ROOT, 'current', options.current, options.install),
    );
    const [base, current] = builds as [Build, Build];
    if (current.uncommitted.length > 0) {
      log(`current: the working tree has uncommitted changes in ${current.uncommitted.length} built file(s)`);
    }
    redis = await RedisProcess.start();
    const env = { ...process.env, REDIS_URL: redis.url, BENCH_ROUNDS: String(options.benchRounds) };
    const benches: Record<string, ReturnType<typeof compareRuns>> = {};
    for (const name of options.benches) {
      const runs = { base: [] as Record<string, number>[], current: [] as Record<string, number>[] };
      for (let r = 0; r < options.rounds; r++) {
        // The build that goes first alternates, so that drift on a shared machine hits both alike.
        for (const build of r % 2 === 0 ? [base, current] : [current, base]) {
          log(`${name} round ${r + 1} of ${options.rounds}: ${build.side}`);
          runs[build.side as 'base' | 'current'].push(figuresOf(await runBench(build, name, env)));
        }
      }
      benches[name] = compareRuns(BENCHES[name]!.key, runs, options.tolerance);
    }
    const describe = (build: Build) => ({
      revision: build.revision,
      commit: build.commit,
      ...(build.uncommitted.length > 0 ? { uncommitted: build.uncommitted } : {}),
    });
    const report = {
      benchmark: 'compare',
      ...describeMachine(),
      durationS: round((performance.now() - started) / 1000, 1),
      base: describe(base),
      current: describe(current),
      settings: {
        rounds: options.rounds,
        benchRounds: options.benchRounds,
        order: 'base and current alternately, the first alternating from round to round',
        statistic: 'median of the runs; ratio = current / base',
        env: Object.fromEntries(Object.entries(env).filter(([name]) => name.startsWith('BENCH_'))),
      },
      tolerance: options.tolerance,
      benches,
      allWithin: Object.values(benches).every((bench) => bench.allWithin),
    };
    process.stdout.write(`${formatTable(report)}\n${JSON.stringify(report)}\n`);
  } finally {
    await cleanUp();
  }
}

runBenchmark(main);
