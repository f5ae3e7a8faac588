/**
 * A product's `updatedAt` after a change made at `changedAt`: the later of the two. Every
 * process that keeps products applies changes this way, so that when changes from two
 * services cross on their way, every side still ends on the time of the latest change.
 */
export function latestUpdate(current: Date, changedAt: Date | string): Date {
  const changed = typeof changedAt === 'string' ? new Date(changedAt) : changedAt;
  return changed.getTime() > current.getTime() ? changed : current;
}
