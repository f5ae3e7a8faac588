export const MiB = 1024 * 1024;

/** Peak memory growth of a process over a baseline, in bytes. */
export interface MemoryGrowth {
  readonly rss: number;
  /**
   * JS heap plus buffers (`heapUsed` + `arrayBuffers`): what the process keeps alive; a
   * buffered body would be here. (`external` also counts native memory of other kinds and
   * swings by tens of MiB, so it is left out.)
   */
  readonly retained: number;
}
