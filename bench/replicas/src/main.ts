import { randomBytes } from 'node:crypto';
import { runWithTeardown } from '../../common/src/run';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { redisVersion, runConnection } from '../../catalog/src/redis';
import { Teardown } from '../../catalog/src/teardown';
import { describeMachine } from '../../common/src/machine';
import { ChangeChannel } from './change-channel';
import { FACADES, POLL_INTERVAL_MS, SettingsError, type Variant, loadConfig } from './config';
import { ReplicaStack } from './replica-stack';
import { buildReport, formatRound, formatTable, summariseRound, summariseVariant, type VariantFigures } from './report';
import { runRounds } from './rounds';

const log = (line: string) => process.stderr.write(`${line}\n`);
const out = (line: string) => process.stdout.write(`${line}\n`);

const teardown = new Teardown();

async function main(): Promise<void> {
  const started = performance.now();
  const config = loadConfig();
  const machine = describeMachine();
  const loadAtStart = loadavg()[0] ?? Number.NaN;

  const redis = await runConnection(config.redisUrl, config.prefix, teardown, log);
  const root = await mkdtemp(join(tmpdir(), 'ficus-bench-replicas-'));
  teardown.add('remove the temp dir', () => rm(root, { recursive: true, force: true }));
  log(`data in ${root}; Redis at ${config.redisUrl}, prefix ${config.prefix}; variants ${config.variants.join(', ')}`);

  const results: VariantFigures[] = [];
  for (const variant of config.variants) results.push(await measureVariant(variant, root));

  const report = buildReport(
    {
      ...machine,
      redis: await redisVersion(redis),
      loadAverage: { start: loadAtStart, end: loadavg()[0] ?? Number.NaN },
    },
    config,
    results,
    (performance.now() - started) / 1000,
  );
  out(formatTable(report));
  out(JSON.stringify(report));

  /** A stack of its own per variant (its data folder and key prefix), its rounds, and its stop. */
  async function measureVariant(variant: Variant, runRoot: string): Promise<VariantFigures> {
    const dataDir = join(runRoot, variant);
    await mkdir(dataDir);
    const pollIntervalMs = POLL_INTERVAL_MS[variant];
    log(
      `${variant}: starting the stack with ${FACADES} facades, STRANGLER_POLL_INTERVAL_MS ${pollIntervalMs ?? 'unset (default)'}`,
    );
    const redisPrefix = `${config.prefix}${variant}:`;
    const channel = await ChangeChannel.subscribe(config.redisUrl, redisPrefix);
    teardown.add(`close the ${variant} change channel`, () => channel.close());
    const stackStarted = performance.now();
    const starting = ReplicaStack.start(
      {
        dataDir,
        redisUrl: config.redisUrl,
        redisPrefix,
        adminToken: randomBytes(24).toString('hex'),
        jwtSecret: randomBytes(32).toString('hex'),
        logLevel: config.logLevel,
        verbose: config.verbose,
        pollIntervalMs,
      },
      config.readyTimeoutS * 1000,
    );
    teardown.add(`stop the ${variant} stack`, async () => (await starting.catch(() => undefined))?.stop());
    const stack = await starting;
    const stackStartS = (performance.now() - stackStarted) / 1000;
    try {
      const rounds = await runRounds(stack.facades, channel, config, (round) =>
        out(formatRound(variant, summariseRound(round))),
      );
      return summariseVariant(variant, rounds, stackStartS);
    } catch (error) {
      log(`the last lines of the stack's processes:\n${stack.outputTail.join('\n')}`);
      throw error;
    } finally {
      await stack.stop();
      await channel.close();
    }
  }
}

runWithTeardown(main, teardown, (error) => error instanceof SettingsError);
