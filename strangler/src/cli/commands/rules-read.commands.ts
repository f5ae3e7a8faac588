import {
  DEFAULT_CASE_SENSITIVE,
  DEFAULT_STRICT_TRAILING_SLASH,
  type PathMatching,
  type RouteRule,
} from '../../rules/rule-set.schema';
import type { ChangeSummary } from '../../store/rule-diff';
import type { VersionPage } from '../../store/rule-store';
import type { RuleVersion } from '../../store/rule-version';
import { argument, defineCommand, option } from '../cli-command';
import { integerValue, versionValue } from '../command-values';
import { table, truncate } from '../format/table';
import { changeLines } from './write-output';

/** Only a canary splits, and only a route that can answer from its target can fall back. */
function routeRow(route: RouteRule): unknown[] {
  const canary = route.mode === 'canary';
  const onTarget = canary || route.mode === 'live';
  return [
    route.id,
    route.group,
    route.match.methods?.join(',') ?? '*',
    route.match.path,
    route.mode,
    canary ? (route.percent ?? 0) : null,
    canary ? route.stickyBy : null,
    route.target,
    route.timeoutMs,
    onTarget ? (route.fallback ?? false) : null,
  ];
}

/** How the rules match a path's spelling, defaults included. */
function pathMatchingText(pathMatching: PathMatching | undefined): string {
  const caseSensitive = pathMatching?.caseSensitive ?? DEFAULT_CASE_SENSITIVE;
  const strict = pathMatching?.strictTrailingSlash ?? DEFAULT_STRICT_TRAILING_SLASH;
  return [
    caseSensitive ? 'literal segments in their case' : 'literal segments in any case',
    strict ? 'a trailing slash counts' : 'one trailing slash ignored',
  ].join(', ');
}

export const rulesShow = defineCommand({
  name: 'rules show',
  summary: 'the current rules, or version V',
  details:
    'The % and STICKY columns apply to canary routes and FALLBACK to canary and live routes; "-" where they do ' +
    'not apply or are not set (TIMEOUT "-": the default, 10000 ms). The paths line says how a path\'s spelling ' +
    'is matched (pathMatching: the case of literal segments, a trailing slash).',
  options: { version: option('--version <V>', 'show version V instead of the current one', versionValue('--version')) },
  input: (_, options) => options,
  async run({ client, output, json }, { version }) {
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
    output.out(`paths: ${pathMatchingText(document.pathMatching)}`);
    output.out('');
    output.out(
      table(
        ['ID', 'GROUP', 'METHODS', 'PATH', 'MODE', '%', 'STICKY', 'TARGET', 'TIMEOUT', 'FALLBACK'],
        document.routes.map(routeRow),
      ),
    );
  },
});

export const rulesHistory = defineCommand({
  name: 'rules history',
  summary: 'the versions, newest first',
  options: {
    limit: option('--limit <N>', 'at most N versions, 1 to 100 (default: 20)', integerValue('--limit', 1, 100)),
    before: option('--before <V>', 'only versions older than V', versionValue('--before')),
  },
  details: 'The current version is marked with *.',
  input: (_, options) => options,
  async run({ client, output, json }, { limit, before }) {
    const query = new URLSearchParams();
    if (limit !== undefined) query.set('limit', String(limit));
    if (before !== undefined) query.set('before', String(before));
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
  },
});

export const rulesDiff = defineCommand({
  name: 'rules diff',
  summary: 'what changed from version A to B',
  arguments: [
    argument('<A>', 'the version before', versionValue('A')),
    argument('<B>', 'the version after', versionValue('B')),
  ],
  input: ([from, to]) => ({ from, to }),
  async run({ client, output, json }, { from, to }) {
    const summary = await client.get<ChangeSummary>(`/admin/rules/diff?from=${from}&to=${to}`);
    if (json) return output.out(JSON.stringify(summary, null, 2));
    output.out(`From version ${from} to version ${to}:`);
    for (const line of changeLines(summary)) output.out(line);
  },
});
