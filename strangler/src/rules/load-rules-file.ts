import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { checkRuleSet, type RuleSetCheck } from './check-rule-set';

/** Reads a YAML (`.yaml`, `.yml`) or JSON rules file and checks it. */
export async function loadRulesFile(path: string): Promise<RuleSetCheck> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return {
      ok: false,
      errors: [`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`],
      warnings: [],
    };
  }
  let document: unknown;
  try {
    document = extname(path) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    return {
      ok: false,
      errors: [`${path}: is not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message}`],
      warnings: [],
    };
  }
  return checkRuleSet(document);
}
