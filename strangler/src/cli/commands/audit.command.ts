import type { AuditEntry } from '../../store/rule-version';
import { defineCommand, option } from '../cli-command';
import { integerValue } from '../command-values';
import { table, truncate } from '../format/table';

export const audit = defineCommand({
  name: 'audit',
  summary: 'the audit log of rule changes',
  options: {
    limit: option('--limit <N>', 'at most N entries, 1 to 100 (default: 20)', integerValue('--limit', 1, 100)),
  },
  input: (_, options) => options,
  async run({ client, output, json }, { limit }) {
    const page = await client.get<{ entries: AuditEntry[] }>(`/admin/audit${limit ? `?limit=${limit}` : ''}`);
    if (json) return output.out(JSON.stringify(page, null, 2));
    output.out(
      table(
        ['AT', 'VERSION', 'AUTHOR', 'BY', 'ACTION', 'REASON', 'CHANGES'],
        page.entries.map((e) => [
          e.at,
          e.version,
          e.author,
          e.by ?? '-',
          e.subject ? `${e.action} ${e.subject}` : e.action,
          truncate(e.reason, 40),
          truncate(e.summary, 80),
        ]),
      ),
    );
  },
});
