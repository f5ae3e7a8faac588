import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { ActiveRules, CompiledRuleSet, type RuleSetInput, checkRuleSet } from '../../src/rules';
import { type DataPlane, type DataPlaneOptions, createDataPlane } from '../../src/data-plane';

/** Checks and compiles a rules document; a document with errors fails the test with them. */
export function compileRules(version: number, input: RuleSetInput): CompiledRuleSet {
  const check = checkRuleSet(input);
  if (!check.ok) throw new Error(`the test's rules are invalid:\n${check.errors.join('\n')}`);
  return new CompiledRuleSet(version, check.ruleSet);
}

/** A data plane on port 0 of 127.0.0.1, built from the rules layer. */
export interface FacadeHarness {
  readonly dataPlane: DataPlane;
  readonly rules: ActiveRules;
  readonly registry: Registry;
  readonly port: number;
  readonly url: string;
  /** Installs the next version of the rules; returns it. */
  swap(input: RuleSetInput): CompiledRuleSet;
  /** The value of a metric with the given labels (0 when absent). */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  close(): Promise<void>;
}

export async function startFacade(
  input: RuleSetInput,
  options: Partial<Omit<DataPlaneOptions, 'rules' | 'metrics'>> = {},
): Promise<FacadeHarness> {
  const rules = new ActiveRules(compileRules(1, input));
  const registry = new Registry();
  const dataPlane = createDataPlane({
    rules,
    metrics: registry,
    maxBodyBytes: 10 * 1024 * 1024,
    routingHeaders: true,
    trustProxy: false,
    shutdownTimeoutMs: 2_000,
    ...options,
  });
  const address: AddressInfo = await dataPlane.listen(0, '127.0.0.1');
  return {
    dataPlane,
    rules,
    registry,
    port: address.port,
    url: `http://127.0.0.1:${address.port}`,
    swap: (next) => {
      const compiled = compileRules(rules.current.version + 1, next);
      rules.swap(compiled);
      return compiled;
    },
    metric: async (name, labels = {}) => {
      const metric = registry.getSingleMetric(name);
      if (!metric) return 0;
      const { values } = await metric.get();
      return values
        .filter((value) => Object.entries(labels).every(([key, wanted]) => String(value.labels[key]) === wanted))
        .reduce((sum, value) => sum + value.value, 0);
    },
    close: () => dataPlane.close(),
  };
}

/** Rules with one upstream per name, `legacy` the legacy one. */
export function upstreams(urls: Record<string, string | string[]>): RuleSetInput['upstreams'] {
  return Object.fromEntries(
    Object.entries(urls).map(([name, url]) => [name, Array.isArray(url) ? { urls: url } : { url }]),
  );
}
