import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { RuleSetInput } from '../../src/rules';
import { AdminHarness, TEST_ADMIN_TOKEN } from '../support/admin-harness';
import { sampleRules } from '../support/rule-store-harness';

const ROOT = resolve(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'strangler', 'src', 'cli', 'main.js');

/** Far more than a pipe holds (64 KiB on Linux), so the CLI is still writing when the reader goes. */
const ROUTES = 3_000;

function bigRules(): RuleSetInput {
  const rules = sampleRules();
  for (let i = 0; i < ROUTES; i++) {
    rules.routes?.push({
      id: `piped-${i}`,
      match: { methods: ['GET'], path: `/api/piped/${i}/${'segment-'.repeat(25)}end` },
      target: 'catalog',
      mode: 'legacy',
    });
  }
  return rules;
}

interface PipedRun {
  readonly firstLine: string;
  readonly stderr: string;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Reads up to the first line, then closes its end of the pipe, as `head -1` does. */
function firstLineThenClose(stream: Readable): Promise<string> {
  return new Promise((done) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const end = text.indexOf('\n');
      if (end === -1) return;
      stream.off('data', onData);
      stream.destroy();
      done(text.slice(0, end));
    };
    stream.on('data', onData);
    stream.once('end', () => done(text));
  });
}

describe('the strangler CLI piped into a reader that stops early (… | head -1)', () => {
  let admin: AdminHarness;
  let env: NodeJS.ProcessEnv;

  const spawnCli = (args: string[]) =>
    spawn(process.execPath, [CLI, ...args], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });

  const pipedRun = async (args: string[]): Promise<PipedRun> => {
    const child = spawnCli(args);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const closed = new Promise<[number | null, NodeJS.Signals | null]>((done) =>
      child.once('close', (code, signal) => done([code, signal])),
    );
    const firstLine = await firstLineThenClose(child.stdout);
    const [code, signal] = await closed;
    return { firstLine, stderr, code, signal };
  };

  const fullOutputBytes = async (args: string[]): Promise<number> => {
    const child = spawnCli(args);
    let bytes = 0;
    child.stdout.on('data', (chunk: Buffer) => (bytes += chunk.length));
    await new Promise((done) => child.once('close', done));
    return bytes;
  };

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
    admin = await AdminHarness.start();
    await admin
      .http()
      .put('/admin/rules')
      .set(admin.auth)
      .send({ document: bigRules(), expectedVersion: 1, reason: 'many routes', author: 'pipe-test' })
      .expect(201);
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      STRANGLER_ADMIN_URL: admin.url,
      STRANGLER_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    };
  });

  afterAll(async () => {
    await admin.close();
  });

  it.each([
    [['rules', 'show'], /^Rules version 2 \(replace by pipe-test, .*\): many routes$/],
    [['rules', 'show', '--json'], /^\{$/],
    [['rules', 'history', '--json'], /^\{$/],
  ])('%j exits quietly, with status 0', async (args, firstLine) => {
    // Without a reader that stops, the whole output is far larger than the pipe.
    expect(await fullOutputBytes(args)).toBeGreaterThan(512 * 1024);
    const run = await pipedRun(args);
    expect(run).toEqual({ firstLine: expect.stringMatching(firstLine), stderr: '', code: 0, signal: null });
  });
});
