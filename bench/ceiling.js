// The fastest a run can be under the emulator's own token buckets (src/emulator/quota.ts): a bucket
// starts full, holding one window's worth (at least one token), and refills `limit` per window, so N
// requests through a bucket of capacity C refilling r per second need max(0, (N - C) / r) seconds. The
// ceiling is the slowest bucket: the project's writes and reads, and each space's writes and reads.

export const DEFAULT_QUOTAS = {
  projectWritesPerMinute: 300,
  projectReadsPerMinute: 3000,
  spaceWritesPerSecond: 1,
  spaceReadsPerSecond: 15,
}

/** Seconds for `count` requests through a bucket holding `limit` per `windowSeconds`. */
export function bucketSeconds(count, limit, windowSeconds) {
  const capacity = Math.max(1, limit)
  return Math.max(0, (count - capacity) / (limit / windowSeconds))
}

/**
 * The reads a role run needs at least, as chat-role reads (src/commands/run/read-space.ts): two or more
 * ids of one space are found in `spaces.members.list` pages of up to 1,000, a single id with one get.
 */
export function readsOf({ named, memberships }) {
  return named >= 2 ? Math.ceil(memberships / 1000) : named
}

/**
 * The ceiling for writing `perSpace` ([{space, named, memberships}], every named membership written once)
 * under `quotas`: {seconds, bucket} of the bucket that binds (and `space`, when it is a space's writes).
 */
export function ceilingOf(perSpace, quotas = DEFAULT_QUOTAS) {
  const limits = { ...DEFAULT_QUOTAS, ...quotas }
  const writes = perSpace.reduce((sum, space) => sum + space.named, 0)
  const reads = perSpace.reduce((sum, space) => sum + readsOf(space), 0)
  const candidates = [
    { bucket: 'project writes', seconds: bucketSeconds(writes, limits.projectWritesPerMinute, 60) },
    { bucket: 'project reads', seconds: bucketSeconds(reads, limits.projectReadsPerMinute, 60) },
  ]
  for (const space of perSpace) {
    candidates.push(
      {
        bucket: `space writes (${space.space})`,
        space: space.space,
        seconds: bucketSeconds(space.named, limits.spaceWritesPerSecond, 1),
      },
      {
        bucket: `space reads (${space.space})`,
        seconds: bucketSeconds(readsOf(space), limits.spaceReadsPerSecond, 1),
      },
    )
  }
  return candidates.reduce((slowest, candidate) => (candidate.seconds > slowest.seconds ? candidate : slowest))
}
