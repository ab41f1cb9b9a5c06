// Seeds for the role-run benchmark: spaces whose named members start as managers
// (ROLE_ASSISTANT_MANAGER), each space with its owner (the default caller, never named) and a few plain
// members that no run touches, so that a run which changes anything it was not asked to shows up.

const OWNER_ID = '300000000000000000000'
const BYSTANDERS = 3

const userId = index => `3${String(index + 1).padStart(20, '0')}`
const spaceId = (prefix, index) => `AAAA${prefix}${String(index).padStart(4, '0')}`

/**
 * `layout` is a list of `[spaceCount, managersPerSpace]`, in the order the names go on stdin.
 * Returns the seed, the membership names to demote (grouped by space, as `chat-role list` prints them)
 * and, per space, how many of them it holds and how many memberships it has.
 */
export function buildSeed(layout, prefix = 'bench') {
  const most = Math.max(...layout.map(([, managers]) => managers))
  const users = [
    { id: OWNER_ID, email: 'owner@bench.example', displayName: 'Bench Owner' },
    ...Array.from({ length: most + BYSTANDERS }, (_, index) => ({
      id: userId(index),
      email: `user${index + 1}@bench.example`,
      displayName: `Bench User ${index + 1}`,
    })),
  ]
  const spaces = []
  const names = []
  const perSpace = []
  for (const [count, managers] of layout) {
    for (let index = 0; index < count; index += 1) {
      const id = spaceId(prefix, spaces.length)
      const memberships = [{ user: OWNER_ID, role: 'ROLE_MANAGER' }]
      for (let member = 0; member < managers; member += 1) {
        memberships.push({ user: userId(member), role: 'ROLE_ASSISTANT_MANAGER' })
        names.push(`spaces/${id}/members/${userId(member)}`)
      }
      for (let member = managers; member < managers + BYSTANDERS; member += 1) {
        memberships.push({ user: userId(member), role: member % 2 === 0 ? 'ROLE_MEMBER' : 'ROLE_ASSISTANT_MANAGER' })
      }
      spaces.push({ id, displayName: `Bench ${id}`, memberships })
      perSpace.push({ space: `spaces/${id}`, named: managers, memberships: memberships.length })
    }
  }
  return { seed: { users, spaces, defaultCaller: OWNER_ID }, names, perSpace }
}

/**
 * Roles after a run against the seed: a named membership that is not ROLE_MEMBER, or any other membership
 * whose role changed (or that went missing), is wrong.
 */
export function wrongRoles(seed, names, state) {
  const named = new Set(names)
  const now = new Map()
  for (const space of state.spaces)
    for (const membership of space.memberships) now.set(membership.name, membership.role)
  const wrong = []
  for (const space of seed.spaces) {
    for (const membership of space.memberships) {
      const name = `spaces/${space.id}/members/${membership.user}`
      const expected = named.has(name) ? 'ROLE_MEMBER' : membership.role
      if (now.get(name) !== expected) wrong.push(`${name}: ${now.get(name) ?? 'missing'} (expected ${expected})`)
    }
  }
  return wrong
}
