// A big synthetic seed for the benchmark and load tests: `spaces` spaces, each with
// `membersPerSpace` human members drawn from one pool of users (the first is owner, every tenth a manager).
import type { Seed, SeedMembership, SeedSpace, SeedUser } from './seed.js'

export interface GeneratedSeedOptions {
  readonly spaces: number
  readonly membersPerSpace: number
}

export function generatedUserId(index: number): string {
  return `2${String(index).padStart(20, '0')}`
}

export function generatedSpaceId(index: number): string {
  return `AAAAbench${String(index).padStart(6, '0')}`
}

export function generateSeed({ spaces, membersPerSpace }: GeneratedSeedOptions): Seed {
  const users: SeedUser[] = []
  for (let index = 0; index < membersPerSpace; index += 1) {
    const id = generatedUserId(index)
    users.push({ id, email: `user${index}@bench.example`, displayName: `Bench User ${index}`, admin: index === 0 })
  }
  const spaceList: SeedSpace[] = []
  for (let index = 0; index < spaces; index += 1) {
    const memberships: SeedMembership[] = users.map((user, position) => ({
      user: user.id,
      role: position === 0 ? 'ROLE_MANAGER' : position % 10 === 0 ? 'ROLE_ASSISTANT_MANAGER' : 'ROLE_MEMBER',
    }))
    spaceList.push({ id: generatedSpaceId(index), displayName: `Bench Space ${index}`, memberships })
  }
  return { users, spaces: spaceList, ...(users[0] === undefined ? {} : { defaultCaller: users[0].id }) }
}
