// What every Chat method handler receives once routing, authentication and quotas are done.
import type { Caller, VisibilitySettings } from './access.js'
import type { ParsedQuery } from '../http/query-params.js'
import type { ChatState } from '../domain/state.js'

export interface RuleSettings extends VisibilitySettings {
  /** Accept `spaces/S/members/user@example.com` in patch (undocumented; strict by default). */
  readonly allowPatchEmailAlias: boolean
  /** Let patch change the role of an INVITED membership (undocumented; refused by default). */
  readonly allowInvitedRoleChange: boolean
}

export interface HandlerContext {
  readonly state: ChatState
  readonly caller: Caller
  readonly query: ParsedQuery
  readonly rules: RuleSettings
  /** Request body text (PATCH only). */
  readonly body: string
  /** Decoded path segments: the space id and, for one membership, the member key. */
  readonly spaceId: string
  readonly memberKey: string
}

export type Handler = (context: HandlerContext) => unknown
