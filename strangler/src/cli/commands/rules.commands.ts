import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { ChangeSummary } from '../../store/rule-diff';
import type { VersionPage } from '../../store/rule-store';
import type { RuleVersion, WriteResult } from '../../store/rule-version';
import type { AdminClient } from '../admin-client';
import { CliError } from '../cli-errors';
import type { CliOutput } from '../cli-output';
import { table, truncate } from '../format/table';
import { changeLines, printWrite } from './write-output';

export async function showRules(client: AdminClient, output: CliOutput, json: boolean, version?: number) {
  const rules = await client.get<RuleVersion>(
    version === undefined ? '/admin/rules' : `/admin/rules/versions/${version}`,
  );
  if (json) return output.out(JSON.stringify(rules, null, 2));
  const { document } = rules;
  output.out(
    `Rules version ${rules.version} (${rules.action} by ${rules.author}, ${rules.createdAt}): ${rules.reason}`,
  );
  const upstreams = Object.entries(document.upstreams).map(
    ([name, upstream]) => `${name} ${(upstream.urls ?? [upstream.url]).join(',')}`,
  );
  output.out(`legacy: ${document.legacy}; upstreams: ${upstreams.join('; ')}`);
  output.out('');
  output.out(
    table(
      ['ID', 'GROUP', 'METHODS', 'PATH', 'MODE', '%', 'STICKY', 'TARGET', 'TIMEOUT', 'FALLBACK'],
      document.routes.map((route) => [
        route.id,
        route.group,
        route.match.methods?.join(',') ?? '*',
        route.match.path,
        route.mode,
        route.percent,
        route.stickyBy,
        route.target,
        route.timeoutMs,
        route.fallback,
      ]),
    ),
  );
}

export async function showHistory(
  client: AdminClient,
  output: CliOutput,
  json: boolean,
  options: { limit?: number; before?: number },
) {
  const query = new URLSearchParams();
  if (options.limit !== undefined) query.set('limit', String(options.limit));
  if (options.before !== undefined) query.set('before', String(options.before));
  const page = await client.get<VersionPage>(`/admin/rules/versions?${query}`);
  if (json) return output.out(JSON.stringify(page, null, 2));
  output.out(
    table(
      ['VERSION', 'CREATED', 'AUTHOR', 'ACTION', 'REASON', 'CHANGES'],
      page.versions.map((v) => [
        v.version === page.current ? `${v.version} *` : v.version,
        v.createdAt,
        v.author,
        v.subject ? `${v.action} ${v.subject}` : v.action,
        truncate(v.reason, 40),
        truncate(v.summary.text, 80),
      ]),
    ),
  );
}

export async function showDiff(client: AdminClient, output: CliOutput, json: boolean, from: number, to: number) {
  const summary = await client.get<ChangeSummary>(`/admin/rules/diff?from=${from}&to=${to}`);
  if (json) return output.out(JSON.stringify(summary, null, 2));
  output.out(`From version ${from} to version ${to}:`);
  for (const line of changeLines(summary)) output.out(line);
}

async function readRules(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
  }
  try {
    // Loaded only here, so that other commands start faster.
    return extname(file) === '.json' ? JSON.parse(text) : (await import('yaml')).parse(text);
  } catch (error) {
    throw new CliError(
      `${file}: is not valid ${extname(file) === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
    );
  }
}

export async function applyRules(
  client: AdminClient,
  output: CliOutput,
  json: boolean,
  options: { file: string; dryRun: boolean; reason?: string; expect?: number },
) {
  const document = await readRules(options.file);
  if (options.dryRun) {
    const result = await client.send<{ basedOn: number; summary: ChangeSummary; warnings: string[] }>(
      'POST',
      '/admin/rules/validate',
      { document },
    );
    for (const warning of result.warnings) output.err(`warning: ${warning}`);
    if (json) return output.out(JSON.stringify(result, null, 2));
    output.out(`${options.file} is valid. Against version ${result.basedOn} it would change:`);
    for (const line of changeLines(result.summary)) output.out(line);
    output.out('Nothing was written (--dry-run).');
    return;
  }
  const expectedVersion = options.expect ?? (await client.currentVersion());
  const result = await client.send<WriteResult>('PUT', '/admin/rules', {
    document,
    expectedVersion,
    reason: options.reason,
  });
  printWrite(output, result, json);
}

export async function rollback(
  client: AdminClient,
  output: CliOutput,
  json: boolean,
  options: { version: number; reason: string; expect?: number },
) {
  const expectedVersion = options.expect ?? (await client.currentVersion());
  const result = await client.send<WriteResult>('POST', '/admin/rules/rollback', {
    toVersion: options.version,
    expectedVersion,
    reason: options.reason,
  });
  printWrite(output, result, json);
}
