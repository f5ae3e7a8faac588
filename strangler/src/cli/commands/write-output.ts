import type { ChangeSummary } from '../../store/rule-diff';
import { describeChange } from '../../store/rule-diff';
import type { WriteResult } from '../../store/rule-version';
import type { CliOutput } from '../cli-output';

/** Each change on its own line, indented. */
export function changeLines(summary: ChangeSummary): string[] {
  return summary.changes.length === 0 ? [`  ${summary.text}`] : summary.changes.map((c) => `  ${describeChange(c)}`);
}

/** What a write did, for people (or the API's answer with `--json`). */
export function printWrite(output: CliOutput, result: WriteResult, json: boolean): void {
  for (const warning of result.warnings) output.err(`warning: ${warning}`);
  if (json) {
    output.out(JSON.stringify(result, null, 2));
    return;
  }
  const { version } = result;
  if (!result.changed) {
    output.out(`No changes: the rules are already so at version ${version.version}.`);
    return;
  }
  output.out(
    `Version ${version.version} created (from ${version.basedOn ?? 'nothing'}) by ${version.author}: ${version.reason}`,
  );
  for (const line of changeLines(version.summary)) output.out(line);
}
