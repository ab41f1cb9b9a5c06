// The domain the end-to-end tests act on. Olivia is an admin and owns most spaces; she is the default caller.
export const OLIVIA = '100000000000000000001'
export const MAX = '100000000000000000002'
export const NORA = '100000000000000000004'
export const PAT = '100000000000000000005'
export const INVITED = '100000000000000000003'

export const users = [
  { id: OLIVIA, email: 'olivia@example.com', displayName: 'Olivia Owner', admin: true },
  { id: MAX, email: 'max@example.com', displayName: 'Max Member' },
  { id: NORA, email: 'nora@example.com', displayName: 'Nora Manager' },
  { id: PAT, email: 'pat@example.com', displayName: 'Pat Peer' },
  { id: 'app-1', displayName: 'Helper Bot', type: 'BOT' },
]

/** `count` members per bulk space, ids 2000…; Olivia owns each. */
export function bulkSpaces(spaces: number, count: number) {
  const bulkUsers = Array.from({ length: count }, (_, i) => ({
    id: String(200000000000000000000n + BigInt(i)),
    email: `bulk${i}@example.com`,
    displayName: `Bulk ${i}`,
  }))
  const bulk = Array.from({ length: spaces }, (_, s) => ({
    id: `AAAAbulk${s}`,
    displayName: `Bulk ${s}`,
    spaceType: 'SPACE',
    memberships: [
      { user: OLIVIA, role: 'ROLE_MANAGER' },
      ...bulkUsers.map(user => ({ user: user.id, role: 'ROLE_MEMBER' })),
    ],
  }))
  return { bulkUsers, bulk }
}

export function seed(options: { bulkSpaces?: number; bulkMembers?: number } = {}) {
  const { bulkUsers, bulk } = bulkSpaces(options.bulkSpaces ?? 0, options.bulkMembers ?? 0)
  return {
    users: [...users, ...bulkUsers],
    spaces: [
      {
        id: 'AAAAengineering',
        displayName: 'Engineering',
        spaceType: 'SPACE',
        memberships: [
          { user: OLIVIA, role: 'ROLE_MANAGER' },
          { user: MAX, role: 'ROLE_MEMBER' },
          { user: NORA, role: 'ROLE_ASSISTANT_MANAGER' },
          { user: PAT, role: 'ROLE_MANAGER' },
          { user: 'app-1', role: 'ROLE_MEMBER' },
          { group: 'groups/eng-all' },
          { user: INVITED, role: 'ROLE_MEMBER', state: 'INVITED' },
        ],
      },
      {
        id: 'AAAAsolo',
        displayName: 'Solo owner',
        spaceType: 'SPACE',
        memberships: [
          { user: OLIVIA, role: 'ROLE_MANAGER' },
          { user: MAX, role: 'ROLE_MEMBER' },
        ],
      },
      {
        id: 'AAAAnotmine',
        displayName: 'Pat’s space',
        spaceType: 'SPACE',
        memberships: [
          { user: PAT, role: 'ROLE_MANAGER' },
          { user: OLIVIA, role: 'ROLE_MEMBER' },
          { user: MAX, role: 'ROLE_MEMBER' },
        ],
      },
      {
        id: 'AAAAgroupchat',
        spaceType: 'GROUP_CHAT',
        memberships: [
          { user: OLIVIA, role: 'ROLE_MEMBER' },
          { user: MAX, role: 'ROLE_MEMBER' },
          { user: PAT, role: 'ROLE_MEMBER' },
        ],
      },
      ...bulk,
    ],
    defaultCaller: OLIVIA,
  }
}
