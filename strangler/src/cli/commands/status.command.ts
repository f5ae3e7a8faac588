import type { RuleSyncStatus } from '../../store/rule-sync';
import { defineCommand } from '../cli-command';

export const status = defineCommand({
  name: 'status',
  summary: 'the version this admin instance routes with',
  input: () => ({}),
  async run({ client, output, json }) {
    const result = await client.get<RuleSyncStatus>('/admin/status');
    if (json) return output.out(JSON.stringify(result, null, 2));
    output.out(`${result.state}: routing with version ${result.activeVersion}, store at ${result.storeVersion ?? '?'}`);
    if (result.problem) output.out(`problem:  ${result.problem} (since ${result.degradedSince})`);
    const history = result.history;
    if (history?.code) output.out(`history copy: ${history.code}: ${history.problem}`);
    else if (history) output.out(`history copy: ${history.file}, up to version ${history.version}`);
  },
});
