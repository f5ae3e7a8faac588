import type { Explanation } from '../../admin/explain/explain.schema';
import { argument, defineCommand, option } from '../cli-command';
import { headerValue, textValue } from '../command-values';

function describeRoute(route: NonNullable<Explanation['route']>): string {
  const group = route.group ? ` in group ${route.group}` : '';
  const split = route.mode === 'canary' ? ` ${route.percent ?? 0} % by ${route.stickyBy ?? '(no sticky key)'}` : '';
  return `${route.id}${group}: ${route.mode}${split} on ${route.target}`;
}

export const explain = defineCommand({
  name: 'explain',
  summary: 'where a request would go, and why',
  arguments: [
    argument('<method>', 'GET, POST, …'),
    argument('<path>', 'the path and query, as a client sends it', textValue('PATH')),
  ],
  details: 'With the rules and the tripped guards of the facade instance behind this admin API.',
  options: {
    header: option("-H, --header <'name: value'>", 'a request header (repeatable), e.g. authorization', headerValue),
    ip: option('--ip <address>', 'the client address, for canaries sticky by ip', textValue('--ip')),
  },
  input: ([method, path], { header = {}, ip }) => ({ method, path, headers: header, ip }),
  async run({ client, output, json }, request) {
    const result = await client.send<Explanation>('POST', '/admin/explain', {
      method: request.method,
      path: request.path,
      headers: request.headers,
      clientIp: request.ip,
    });
    if (json) return output.out(JSON.stringify(result, null, 2));
    output.out(
      `${result.method} ${result.path} → ${result.upstream} (${result.side})   [rules version ${result.version}]`,
    );
    output.out(`route:    ${result.route ? describeRoute(result.route) : 'none matched'}`);
    output.out(`why:      ${result.reason}`);
    if (result.shadowTo) output.out(`shadow:   a copy goes to ${result.shadowTo}`);
    output.out(`urls:     ${result.upstreamUrls.join(', ') || '-'}`);
    // Falling back to legacy only happens to a request sent to the target.
    const fallback = result.side === 'target' ? `, fallback ${result.fallback ? 'yes' : 'no'}` : '';
    output.out(`timeout:  ${result.timeoutMs} ms, retries ${result.retries}${fallback}`);
    if (result.awaits) output.out(`awaits:   ${result.awaits.join(', ') || '-'} (the writes before it on these)`);
  },
});
