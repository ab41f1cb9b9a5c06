// Turns `list` options into the server-side filter the API documents, plus what must be filtered here:
// the API documents only ROLE_MEMBER and ROLE_MANAGER as filter values, so managers (ROLE_ASSISTANT_MANAGER)
// are picked out client-side.
import { ChatRoleError } from '../errors.js'
import type { Role } from './role.js'

export type MemberTypeWord = 'human' | 'bot'

export interface ListQuery {
  readonly role?: Role
  readonly type?: MemberTypeWord
  readonly admin: boolean
  readonly groups: boolean
}

export interface ListFilter {
  /** The `filter` parameter, or undefined for none. */
  readonly server: string | undefined
  /** A role the client keeps after the server answered. */
  readonly clientRole: Role | undefined
}

export function buildListFilter(query: ListQuery): ListFilter {
  if (query.admin && query.type === 'bot') {
    throw new ChatRoleError('USAGE', 'administrator access cannot list Chat apps', {
      hint: 'drop --type bot, or list without --admin as a member of the space',
    })
  }
  const clauses: string[] = []
  if (query.type !== undefined) clauses.push(`member.type = "${query.type === 'human' ? 'HUMAN' : 'BOT'}"`)
  // Admin access requires one of these two type filters; != keeps groups, which --groups asks for.
  else if (query.admin) clauses.push(query.groups ? 'member.type != "BOT"' : 'member.type = "HUMAN"')
  let clientRole: Role | undefined
  if (query.role === 'ROLE_ASSISTANT_MANAGER') clientRole = query.role
  else if (query.role !== undefined) clauses.push(`role = "${query.role}"`)
  return { server: clauses.length === 0 ? undefined : clauses.join(' AND '), clientRole }
}
