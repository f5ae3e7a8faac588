import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { ValidationResult } from '../../store/rule-store';
import type { WriteResult } from '../../store/rule-version';
import { argument, defineCommand, flag } from '../cli-command';
import { CliError } from '../cli-errors';
import { versionValue } from '../command-values';
import { WRITE_OPTIONS, requireReason } from './write-options';
import { changeLines, printWrite } from './write-output';

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

export const rulesApply = defineCommand({
  name: 'rules apply',
  summary: 'replace the rules with a YAML or JSON file',
  arguments: [argument('<file>', 'the rules document: .json is read as JSON, anything else as YAML')],
  options: {
    ...WRITE_OPTIONS,
    dryRun: flag('--dry-run', 'check the file on the server and say what it would change; write nothing'),
  },
  details: '--reason is needed unless --dry-run is given.',
  input: ([file], { dryRun = false, reason, expect }) => ({
    file,
    dryRun,
    reason: dryRun ? reason : requireReason(reason),
    expect,
  }),
  async run({ client, output, json }, { file, dryRun, reason, expect }) {
    const document = await readRules(file);
    if (dryRun) {
      const result = await client.send<ValidationResult>('POST', '/admin/rules/validate', { document });
      for (const warning of result.warnings) output.err(`warning: ${warning}`);
      if (json) return output.out(JSON.stringify(result, null, 2));
      output.out(`${file} is valid. Against version ${result.basedOn} it would change:`);
      for (const line of changeLines(result.summary)) output.out(line);
      output.out('Nothing was written (--dry-run).');
      return;
    }
    const expectedVersion = expect ?? (await client.currentVersion());
    const result = await client.send<WriteResult>('PUT', '/admin/rules', { document, expectedVersion, reason });
    printWrite(output, result, json);
  },
});

export const rulesRollback = defineCommand({
  name: 'rules rollback',
  summary: "a new version with version V's rules",
  arguments: [argument('<V>', 'the version whose rules come back', versionValue('V'))],
  options: WRITE_OPTIONS,
  input: ([version], { reason, expect }) => ({ version, reason: requireReason(reason), expect }),
  async run({ client, output, json }, { version, reason, expect }) {
    const expectedVersion = expect ?? (await client.currentVersion());
    const result = await client.send<WriteResult>('POST', '/admin/rules/rollback', {
      toVersion: version,
      expectedVersion,
      reason,
    });
    printWrite(output, result, json);
  },
});
