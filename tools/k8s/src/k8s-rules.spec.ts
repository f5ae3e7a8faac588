import { readFileSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import {
  loadRulesFile,
  overrideKey,
  refusedUpstreams,
  startupAllowList,
  upstreamAllowList,
} from '../../../strangler/src/rules';
import { containerOf, environmentOf, named, podOf, valuesOf } from './k8s-object';
import { OVERLAYS, REPOSITORY_ROOT, rendered } from './kustomize';

/** The facade's rules files, by the name the ConfigMap gives each: the seed and every stage file. */
const ORIGINALS: Record<string, string> = {
  'rules.yaml': 'strangler/rules.yaml',
  ...Object.fromEntries(
    readdirSync(join(REPOSITORY_ROOT, 'strangler/rules'))
      .filter((name) => /\.ya?ml$/.test(name))
      .map((name) => [name, `strangler/rules/${name}`]),
  ),
};
const original = (name: string) => readFileSync(join(REPOSITORY_ROOT, ORIGINALS[name]!), 'utf8');

describe('the copies of the rules files in k8s/base/strangler/rules', () => {
  it.each(Object.keys(ORIGINALS))('%s is identical to its original', (name) => {
    const copy = readFileSync(join(REPOSITORY_ROOT, 'k8s/base/strangler/rules', name), 'utf8');
    // After a change: cp strangler/rules.yaml strangler/rules/*.yaml k8s/base/strangler/rules/
    expect(copy).toBe(original(name));
  });
});

describe.each(OVERLAYS)('the rules of the facade in %s', (overlay) => {
  const objects = () => rendered(overlay);
  const facade = () => named(objects(), 'Deployment', 'strangler');
  const env = () => valuesOf(environmentOf(objects(), containerOf(facade())));

  /** The ConfigMap mounted where STRANGLER_RULES_FILE is, and the file's name in it. */
  const rulesConfigMap = () => {
    const file = env().STRANGLER_RULES_FILE ?? '';
    const mount = containerOf(facade()).volumeMounts?.find((candidate) => posix.dirname(file) === candidate.mountPath);
    const volume = podOf(facade()).spec.volumes?.find((candidate) => candidate.name === mount?.name);
    const configMap = named(objects(), 'ConfigMap', volume?.configMap?.name ?? '(no ConfigMap)');
    return { data: configMap.data as Record<string, string>, key: posix.basename(file), readOnly: mount?.readOnly };
  };

  it('seeds an empty store from rules.yaml, in a read-only ConfigMap that holds every rules file as it is', () => {
    const { data, key, readOnly } = rulesConfigMap();
    expect(key).toBe('rules.yaml');
    expect(readOnly).toBe(true);
    expect(Object.keys(data).sort()).toEqual(Object.keys(ORIGINALS).sort());
    for (const name of Object.keys(ORIGINALS)) expect({ [name]: data[name] }).toEqual({ [name]: original(name) });
  });

  it('starts: the seed’s upstreams are on the allow-list (the facade checks them at start)', async () => {
    const allow = env().STRANGLER_UPSTREAM_ALLOW?.split(',');
    expect(allow).toBeDefined();
    const seed = join(REPOSITORY_ROOT, ORIGINALS['rules.yaml']!);
    await expect(startupAllowList(seed, allow)).resolves.toBeDefined();
  });

  it.each(Object.keys(ORIGINALS))(
    'lets operators apply %s as it is: allowed, and every upstream overridden to a Service',
    async (name) => {
      const check = await loadRulesFile(join(REPOSITORY_ROOT, ORIGINALS[name]!));
      if (!check.ok) throw new Error(check.errors.join('\n'));
      const allow = upstreamAllowList(env().STRANGLER_UPSTREAM_ALLOW!.split(','), 'STRANGLER_UPSTREAM_ALLOW');
      expect(refusedUpstreams(check.ruleSet.upstreams, allow)).toEqual([]);
      for (const upstream of Object.keys(check.ruleSet.upstreams)) {
        const variable = `STRANGLER_UPSTREAM_${overrideKey(upstream)}_URL`;
        expect({ [variable]: env()[variable] }).toEqual({
          [variable]: expect.stringMatching(/^http:\/\/[a-z-]+:\d+$/),
        });
      }
    },
  );

  it("does not allow the facade's own planes as upstreams", () => {
    const allow = upstreamAllowList(env().STRANGLER_UPSTREAM_ALLOW!.split(','), 'STRANGLER_UPSTREAM_ALLOW');
    const own = {
      self: { url: `http://127.0.0.1:${env().STRANGLER_PORT}` },
      admin: { url: `http://127.0.0.1:${env().PORT}` },
    };
    expect(refusedUpstreams(own, allow)).toHaveLength(2);
  });
});
