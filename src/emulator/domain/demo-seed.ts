// The small demo domain served when no --state is given, and shared with tests and the CLI's demo.
import type { Seed } from './seed.js'

/** User ids of the demo domain, by role in the story. */
export const DemoUsers = {
  olivia: '100000000000000000001',
  max: '100000000000000000002',
  ivy: '100000000000000000003',
  mia: '100000000000000000004',
  oscar: '100000000000000000005',
  erin: '100000000000000000006',
  bot: 'app-1',
} as const

/** Space ids of the demo domain. */
export const DemoSpaces = {
  /** SPACE: owners Olivia and Oscar, manager Mia, member Max, Erin (external), the bot, a group, Ivy invited. */
  engineering: 'AAAAengineering',
  /** SPACE: Olivia is the only owner; Max and Mia are members. */
  design: 'AAAAdesign',
  /** GROUP_CHAT: Olivia, Max, Mia. */
  groupChat: 'AAAAgroupchat',
  /** DIRECT_MESSAGE: Olivia and Max. */
  directMessage: 'AAAAdirectmsg',
  /** SPACE in import mode: owner Olivia, member Max. */
  legacyImport: 'AAAAlegacyimport',
  /** SPACE created by the bot: owner Mia, member Max, the bot. Olivia is not a member. */
  botCreated: 'AAAAbotcreated',
} as const

const { olivia, max, ivy, mia, oscar, erin, bot } = DemoUsers

export const demoSeed: Seed = {
  users: [
    { id: olivia, email: 'olivia@example.com', displayName: 'Olivia Owner', admin: true, affiliation: 'INTERNAL' },
    { id: max, email: 'max@example.com', displayName: 'Max Member', affiliation: 'INTERNAL' },
    { id: ivy, email: 'ivy@example.com', displayName: 'Ivy Invited', affiliation: 'INTERNAL' },
    { id: mia, email: 'mia@example.com', displayName: 'Mia Manager', affiliation: 'INTERNAL' },
    { id: oscar, email: 'oscar@example.com', displayName: 'Oscar Owner', affiliation: 'INTERNAL' },
    { id: erin, email: 'erin@partner.example', displayName: 'Erin External', affiliation: 'EXTERNAL' },
    { id: bot, displayName: 'Helper Bot', type: 'BOT' },
  ],
  spaces: [
    {
      id: DemoSpaces.engineering,
      displayName: 'Engineering',
      spaceType: 'SPACE',
      externalUserAllowed: true,
      memberships: [
        { user: olivia, role: 'ROLE_MANAGER' },
        { user: oscar, role: 'ROLE_MANAGER' },
        { user: mia, role: 'ROLE_ASSISTANT_MANAGER' },
        { user: max, role: 'ROLE_MEMBER' },
        { user: erin, role: 'ROLE_MEMBER' },
        { user: bot },
        { group: 'groups/eng-all' },
        { user: ivy, state: 'INVITED' },
      ],
    },
    {
      id: DemoSpaces.design,
      displayName: 'Design',
      memberships: [{ user: olivia, role: 'ROLE_MANAGER' }, { user: max }, { user: mia }],
    },
    {
      id: DemoSpaces.groupChat,
      spaceType: 'GROUP_CHAT',
      memberships: [{ user: olivia }, { user: max }, { user: mia }],
    },
    {
      id: DemoSpaces.directMessage,
      spaceType: 'DIRECT_MESSAGE',
      memberships: [{ user: olivia }, { user: max }],
    },
    {
      id: DemoSpaces.legacyImport,
      displayName: 'Legacy Import',
      importMode: true,
      memberships: [{ user: olivia, role: 'ROLE_MANAGER' }, { user: max }],
    },
    {
      id: DemoSpaces.botCreated,
      displayName: 'Bot Announcements',
      createdBy: bot,
      memberships: [{ user: mia, role: 'ROLE_MANAGER' }, { user: max }, { user: bot }],
    },
  ],
  defaultCaller: olivia,
  app: bot,
  serviceAccounts: [
    { clientEmail: 'helper-bot@chat-role-demo.iam.gserviceaccount.com', appUser: bot, domainWideDelegation: true },
  ],
}
