import type { RouteTrafficRow, TrafficReport } from '../../admin/traffic/traffic-report';
import { defineCommand, option } from '../cli-command';
import { integerValue } from '../command-values';
import { table } from '../format/table';

/** A row: the route as the current rules have it, then what each side served over the window. */
function trafficRow(row: RouteTrafficRow): unknown[] {
  return [
    row.routeId ?? '(no route)',
    row.mode ?? (row.routeId === null ? null : '(removed)'),
    row.mode === 'canary' ? (row.percent ?? 0) : null,
    row.target,
    row.total,
    row.legacyRequests,
    row.targetRequests,
    row.targetShare === null ? null : `${(row.targetShare * 100).toFixed(1)} %`,
  ];
}

export const traffic = defineCommand({
  name: 'traffic',
  summary: 'what each side served, route by route',
  details:
    'MODE, % and TARGET are those of the current rules; ON LEGACY and ON TARGET count what each side served over ' +
    'the window, whatever the rules were then (a route since removed shows as "(removed)"). The counts are those ' +
    'of the facade instance behind this admin API.',
  options: {
    minutes: option('--minutes <N>', 'the window, 1 to 60 minutes (default: 5)', integerValue('--minutes', 1, 60)),
  },
  input: (_, options) => options,
  async run({ client, output, json }, { minutes }) {
    const report = await client.get<TrafficReport>(`/admin/traffic${minutes ? `?minutes=${minutes}` : ''}`);
    if (json) return output.out(JSON.stringify(report, null, 2));
    output.out(
      `Traffic over the last ${report.minutes} minute(s) since ${report.since}, rules version ${report.version}:`,
    );
    output.out(
      table(
        ['ROUTE', 'MODE', '%', 'TARGET', 'TOTAL', 'ON LEGACY', 'ON TARGET', 'TARGET SHARE'],
        report.routes.map(trafficRow),
      ),
    );
  },
});
