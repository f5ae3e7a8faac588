/** A Prometheus histogram as read from a `/metrics` page: cumulative buckets, ascending, `+Inf` last. */
export interface Histogram {
  readonly buckets: readonly { readonly le: number; readonly count: number }[];
  readonly count: number;
  readonly sum: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/;

/** Reads histogram `name` from the text exposition format (all label sets summed). */
export function parseHistogram(text: string, name: string): Histogram {
  const buckets = new Map<number, number>();
  let count = 0;
  let sum = 0;
  let seen = false;
  for (const line of text.split('\n')) {
    const match = SAMPLE.exec(line);
    if (!match) continue;
    const [, metric, labels = '', raw] = match;
    const value = Number(raw);
    if (metric === `${name}_bucket`) {
      const le = /le="([^"]+)"/.exec(labels)?.[1];
      if (le === undefined) continue;
      const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
      buckets.set(bound, (buckets.get(bound) ?? 0) + value);
      seen = true;
    } else if (metric === `${name}_count`) count += value;
    else if (metric === `${name}_sum`) sum += value;
  }
  if (!seen) throw new Error(`the metrics page has no histogram ${name}`);
  return {
    buckets: [...buckets.entries()].sort(([a], [b]) => a - b).map(([le, n]) => ({ le, count: n })),
    count,
    sum,
  };
}

/** What was observed between two reads of the same histogram. */
export function histogramDelta(after: Histogram, before: Histogram): Histogram {
  return {
    buckets: after.buckets.map(({ le, count }) => ({
      le,
      count: count - (before.buckets.find((b) => b.le === le)?.count ?? 0),
    })),
    count: after.count - before.count,
    sum: after.sum - before.sum,
  };
}

export interface BucketQuantile {
  /** The upper bound of the bucket the quantile falls in: the quantile is at most this. */
  readonly upperBound: number;
  /** The lower bound of that bucket: the quantile is more than this. */
  readonly lowerBound: number;
  /** Linear interpolation within the bucket, as Prometheus' `histogram_quantile` does. */
  readonly interpolated: number;
}

/** The `q` quantile (0..1) of a histogram, as far as its buckets tell. NaN bounds when it is empty. */
export function bucketQuantile(histogram: Histogram, q: number): BucketQuantile {
  const total = histogram.buckets.at(-1)?.count ?? 0;
  if (total === 0) return { upperBound: Number.NaN, lowerBound: Number.NaN, interpolated: Number.NaN };
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const { le, count } of histogram.buckets) {
    if (count >= rank) {
      const upper = le;
      const interpolated =
        upper === Number.POSITIVE_INFINITY ? lower : lower + ((upper - lower) * (rank - below)) / (count - below || 1);
      return { upperBound: upper, lowerBound: lower, interpolated };
    }
    lower = le;
    below = count;
  }
  return { upperBound: Number.POSITIVE_INFINITY, lowerBound: lower, interpolated: lower };
}

/** The share (0..1) of observations at most `le` (a bucket bound of the histogram). */
export function shareAtMost(histogram: Histogram, le: number): number {
  const total = histogram.buckets.at(-1)?.count ?? 0;
  const bucket = histogram.buckets.find((b) => b.le === le);
  if (!bucket) throw new Error(`the histogram has no bucket le=${le}`);
  return total === 0 ? Number.NaN : bucket.count / total;
}

/** The largest value of gauge (or counter) `name` over its label sets; NaN when the page lacks it. */
export function parseGauge(text: string, name: string): number {
  let value = Number.NaN;
  for (const line of text.split('\n')) {
    const match = SAMPLE.exec(line);
    if (match?.[1] === name) value = Number.isNaN(value) ? Number(match[3]) : Math.max(value, Number(match[3]));
  }
  return value;
}

/** The sum of sample `name` over its label sets (a counter, or a histogram's `_count`); NaN when the page lacks it. */
export function sumSamples(text: string, name: string): number {
  let value = Number.NaN;
  for (const line of text.split('\n')) {
    const match = SAMPLE.exec(line);
    if (match?.[1] === name) value = (Number.isNaN(value) ? 0 : value) + Number(match[3]);
  }
  return value;
}

/** How many observations were above `le` (a bucket bound of the histogram). */
export function countAbove(histogram: Histogram, le: number): number {
  const total = histogram.buckets.at(-1)?.count ?? 0;
  const bucket = histogram.buckets.find((b) => b.le === le);
  if (!bucket) throw new Error(`the histogram has no bucket le=${le}`);
  return total - bucket.count;
}
