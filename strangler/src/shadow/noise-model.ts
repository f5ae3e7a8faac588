/** When a place counts as noise. */
export interface NoiseSettings {
  /** How many pairs of legacy answers must be seen before the share below applies; until then any difference seen once is noise. */
  readonly minPairs: number;
  /** The share of pairs of legacy answers (0 to 1) in which a place must differ to be noise. */
  readonly minShare: number;
  /** How many places are tracked; the rarest are forgotten first beyond it. */
  readonly maxPlaces: number;
}

export const DEFAULT_NOISE_SETTINGS: NoiseSettings = Object.freeze({ minPairs: 20, minShare: 0.05, maxPlaces: 500 });

/**
 * Noise learnt as Diffy learns it: legacy is asked the same request twice, and a place where its
 * two answers differ (a timestamp, a generated id, an unordered list) is noise, not a regression,
 * when the target differs there too. Places are general paths (`items[*].id`, `status`,
 * `header:etag`), so that what is learnt about one element holds for all.
 */
export class NoiseModel {
  private pairs = 0;
  private readonly differing = new Map<string, number>();

  constructor(private readonly settings: NoiseSettings = DEFAULT_NOISE_SETTINGS) {}

  /** Learns from the places where two answers of legacy to one request differed (each place once). */
  learn(places: Iterable<string>): void {
    this.pairs++;
    for (const place of new Set(places)) this.differing.set(place, (this.differing.get(place) ?? 0) + 1);
    if (this.differing.size > this.settings.maxPlaces) this.forgetRarest();
  }

  /** Whether a difference at `place` is noise. */
  isNoise(place: string): boolean {
    const count = this.differing.get(place) ?? 0;
    if (count === 0) return false;
    if (this.pairs < this.settings.minPairs) return true;
    return count / this.pairs >= this.settings.minShare;
  }

  /** What has been learnt: the pairs seen, and each place's share of them, most often first. */
  snapshot(): { pairs: number; places: { place: string; share: number }[] } {
    const places = [...this.differing.entries()]
      .map(([place, count]) => ({ place, share: this.pairs === 0 ? 0 : count / this.pairs }))
      .sort((a, b) => b.share - a.share || a.place.localeCompare(b.place));
    return { pairs: this.pairs, places };
  }

  private forgetRarest(): void {
    const rarest = [...this.differing.entries()].sort((a, b) => a[1] - b[1]);
    for (const [place] of rarest.slice(0, this.differing.size - this.settings.maxPlaces)) this.differing.delete(place);
  }
}
