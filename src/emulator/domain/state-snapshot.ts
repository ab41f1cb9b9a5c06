// The whole domain as JSON (GET /emulator/v1/state and `state()`): every space as the API renders
// it, plus who created it, with every membership (groups, invitations and apps included).
import { type MembershipResource, type SpaceResource, renderMembership, renderSpace } from './resources.js'
import type { UserRecord } from './seed.js'
import type { ChatState } from './state.js'

export interface SpaceSnapshot extends SpaceResource {
  /** The BOT user that created the space, when an app did. */
  readonly createdBy?: string
  readonly memberships: readonly MembershipResource[]
}

export interface StateSnapshot {
  readonly users: readonly UserRecord[]
  readonly spaces: readonly SpaceSnapshot[]
  readonly defaultCaller: string
  readonly app?: string
}

export function snapshotState(state: ChatState): StateSnapshot {
  return {
    users: state.seed.users,
    spaces: state.sortedSpaces.map(space => ({
      ...renderSpace(space),
      ...(space.createdBy === undefined ? {} : { createdBy: space.createdBy }),
      memberships: space.sortedMembers.map(renderMembership),
    })),
    defaultCaller: state.seed.defaultCaller,
    ...(state.seed.app === undefined ? {} : { app: state.seed.app }),
  }
}
