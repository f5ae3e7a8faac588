import type { Explanation } from '../../admin/explain/explain.schema';
import type { TrafficReport } from '../../admin/traffic/traffic-report';
import type { AuditEntry, RuleSyncStatus } from '../../store';
import type { AdminClient } from '../admin-client';
import type { CliOutput } from '../cli-output';
import { table, truncate } from '../format/table';

export async function explain(
  client: AdminClient,
  output: CliOutput,
  json: boolean,
  request: { method: string; path: string; headers: Readonly<Record<string, string>>; ip?: string },
) {
  const result = await client.send<Explanation>('POST', '/admin/explain', {
    method: request.method,
    path: request.path,
    headers: request.headers,
    clientIp: request.ip,
  });
  if (json) return output.out(JSON.stringify(result, null, 2));
  const route = result.route;
  output.out(
    `${result.method} ${result.path} → ${result.upstream} (${result.side})   [rules version ${result.version}]`,
  );
  output.out(
    `route:    ${
      route
        ? `${route.id}${route.group ? ` in group ${route.group}` : ''}: ${route.mode}` +
          `${route.mode === 'canary' ? ` ${route.percent ?? 0} % by ${route.stickyBy}` : ''} on ${route.target}`
        : 'none matched'
    }`,
  );
  output.out(`why:      ${result.reason}`);
  if (result.shadowTo) output.out(`shadow:   a copy goes to ${result.shadowTo}`);
  output.out(`urls:     ${result.upstreamUrls.join(', ') || '-'}`);
  output.out(`timeout:  ${result.timeoutMs} ms, retries ${result.retries}, fallback ${result.fallback ? 'yes' : 'no'}`);
}

export async function traffic(client: AdminClient, output: CliOutput, json: boolean, minutes?: number) {
  const report = await client.get<TrafficReport>(`/admin/traffic${minutes ? `?minutes=${minutes}` : ''}`);
  if (json) return output.out(JSON.stringify(report, null, 2));
  output.out(
    `Traffic over the last ${report.minutes} minute(s) since ${report.since}, rules version ${report.version}:`,
  );
  output.out(
    table(
      ['ROUTE', 'MODE', '%', 'TARGET', 'TOTAL', 'LEGACY', 'TARGET', 'TARGET SHARE'],
      report.routes.map((row) => [
        row.routeId ?? '(no route)',
        row.mode,
        row.percent,
        row.target,
        row.total,
        row.legacyRequests,
        row.targetRequests,
        row.targetShare === null ? null : `${(row.targetShare * 100).toFixed(1)} %`,
      ]),
    ),
  );
}

export async function audit(client: AdminClient, output: CliOutput, json: boolean, limit?: number) {
  const page = await client.get<{ entries: AuditEntry[] }>(`/admin/audit${limit ? `?limit=${limit}` : ''}`);
  if (json) return output.out(JSON.stringify(page, null, 2));
  output.out(
    table(
      ['AT', 'VERSION', 'AUTHOR', 'ACTION', 'REASON', 'CHANGES'],
      page.entries.map((e) => [
        e.at,
        e.version,
        e.author,
        e.subject ? `${e.action} ${e.subject}` : e.action,
        truncate(e.reason, 40),
        truncate(e.summary, 80),
      ]),
    ),
  );
}

export async function status(client: AdminClient, output: CliOutput, json: boolean) {
  const result = await client.get<RuleSyncStatus>('/admin/status');
  if (json) return output.out(JSON.stringify(result, null, 2));
  output.out(`${result.state}: routing with version ${result.activeVersion}, store at ${result.storeVersion ?? '?'}`);
  if (result.problem) output.out(`problem:  ${result.problem} (since ${result.degradedSince})`);
}
