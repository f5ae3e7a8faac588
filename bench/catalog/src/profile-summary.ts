import { readFileSync } from 'node:fs';

/** The parts of a V8 `.cpuprofile` read here. */
interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
    readonly children?: readonly number[];
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Where a frame's code comes from: a package, a folder of the repository, Node itself, or V8's own entries. */
export function origin(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules?.[1]) return modules[1];
  if (url.startsWith('node:')) return 'node';
  const repo = /\/dist\/((?:libs|apps)\/[^/]+|legacy-monolith|strangler|bench|tools)\//.exec(url);
  return repo?.[1] ?? url;
}

/**
 * Sums a profile's samples two ways: self time per origin (package or folder), and inclusive
 * time per origin (a sample counts once for every origin on its stack), idle left out.
 */
export function summarize(profile: CpuProfile, top = 25) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const micros = profile.timeDeltas[i] ?? 0;
    if (!node || node.callFrame.functionName === '(idle)') return;
    busy += micros;
    const frame = node.callFrame;
    const own = origin(frame.url, frame.functionName);
    self.set(own, (self.get(own) ?? 0) + micros);
    const name = `${frame.functionName || '(anonymous)'} ${own}:${frame.lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + micros);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)?.callFrame;
      if (f) seen.add(origin(f.url, f.functionName));
    }
    for (const o of seen) inclusive.set(o, (inclusive.get(o) ?? 0) + micros);
  });
  const shares = (map: Map<string, number>) =>
    [...map.entries()]
      .sort(([, a], [, b]) => b - a)
      .slice(0, top)
      .map(([name, micros]) => ({ name, percent: Math.round((micros / busy) * 1000) / 10 }));
  return {
    busyMs: Math.round(busy / 1000),
    self: shares(self),
    inclusive: shares(inclusive),
    functions: shares(functions),
  };
}

/** `node dist/bench/catalog/src/profile-summary.js <file.cpuprofile>`: prints the summary as JSON. */
if (require.main === module) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: profile-summary.js <file.cpuprofile> [top]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  process.stdout.write(`${JSON.stringify(summarize(profile, Number(process.argv[3] ?? 25)), null, 2)}\n`);
}
