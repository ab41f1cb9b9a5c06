// Saved plans: `--dry-run --plan FILE` writes what a run would change; `chat-role apply FILE` carries out
// exactly that, membership by membership, and nothing that has moved since. Each item has its own target
// role, so one plan can set different roles (a handover, a snapshot to restore). Pure.
import { ChatRoleError } from '../errors.js'
import {
  asObject,
  callerField,
  describeValue,
  FieldProblem,
  isoTime,
  membershipFields,
  optionalRole,
  parseJson,
  requiredBoolean,
  requiredRole,
  requiredString,
  type JsonObject,
  type MembershipFields,
  type RunCaller,
} from './record-fields.js'
import type { Role } from './role.js'

export const PLAN_FORMAT = 'chat-role-plan'
export const PLAN_FORMAT_VERSION = 1

export interface SavedPlanItem extends MembershipFields {
  /** The role read when the plan was made. */
  readonly from: string
  readonly to: Role
}

export interface SavedPlan {
  readonly format: typeof PLAN_FORMAT
  readonly formatVersion: typeof PLAN_FORMAT_VERSION
  readonly createdAt: string
  /** The command that made it (promote, demote, set, handover, …). */
  readonly command: string
  /** The role asked for, when one role was asked for all. */
  readonly target?: Role
  readonly caller: RunCaller
  readonly admin: boolean
  readonly items: readonly SavedPlanItem[]
}

export function savedPlan(fields: Omit<SavedPlan, 'format' | 'formatVersion'>): SavedPlan {
  return {
    format: PLAN_FORMAT,
    formatVersion: PLAN_FORMAT_VERSION,
    createdAt: fields.createdAt,
    command: fields.command,
    ...(fields.target !== undefined && { target: fields.target }),
    caller: fields.caller,
    admin: fields.admin,
    items: fields.items.map(item => ({
      name: item.name,
      space: item.space,
      ...(item.email !== undefined && { email: item.email }),
      ...(item.displayName !== undefined && { displayName: item.displayName }),
      from: item.from,
      to: item.to,
    })),
  }
}

/** Readable JSON, one item per line, so a plan can be reviewed (and diffed) before it is applied. */
export function encodePlan(plan: SavedPlan): string {
  const { items, ...head } = plan
  const body = JSON.stringify(head, null, 2).replace(/\n}$/, '')
  const lines = items.map(item => `    ${JSON.stringify(item)}`)
  return `${body},\n  "items": [${lines.length === 0 ? '' : `\n${lines.join(',\n')}\n  `}]\n}\n`
}

const HINT_MAKE = 'make a plan with --dry-run --plan FILE'

export function parsePlan(text: string, source: string): SavedPlan {
  const json = parseJson(text)
  const first = json ?? parseJson(text.slice(0, text.indexOf('\n') + 1 || undefined))
  if (isObject(first?.value) && first.value.format === 'chat-role-journal') {
    throw new ChatRoleError('INPUT', `${source} is the journal of a run, not a saved plan`, {
      hint: `to put back what that run changed: chat-role undo ${source}`,
    })
  }
  if (json === undefined) {
    throw new ChatRoleError('INPUT', `${source} is not JSON, so it is not a saved plan`, { hint: HINT_MAKE })
  }
  if (!isObject(json.value)) {
    throw new ChatRoleError('INPUT', `${source} is not a JSON object, so it is not a saved plan`, { hint: HINT_MAKE })
  }
  const value = json.value
  if (value.format !== PLAN_FORMAT) {
    throw new ChatRoleError(
      'INPUT',
      `${source} is not a chat-role plan (its "format" is ${describeValue(value.format)})`,
      {
        hint: HINT_MAKE,
      },
    )
  }
  const version = value.formatVersion
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    throw new ChatRoleError(
      'INPUT',
      `${source} is not a chat-role plan: its format version is ${describeValue(version)}`,
      {
        hint: HINT_MAKE,
      },
    )
  }
  if (version > PLAN_FORMAT_VERSION) {
    throw new ChatRoleError(
      'INPUT',
      `${source} was written by a newer chat-role (plan format ${version}); this one reads format ${PLAN_FORMAT_VERSION}`,
      { hint: 'update chat-role (npm install -g chat-role@latest) to apply it' },
    )
  }
  let where = ''
  try {
    const target = optionalRole(value, 'target')
    const head = {
      createdAt: isoTime(value, 'createdAt'),
      command: requiredString(value, 'command'),
      ...(target !== undefined && { target }),
      caller: callerField(value),
      admin: requiredBoolean(value, 'admin'),
    }
    if (!Array.isArray(value.items)) throw new FieldProblem('"items" is missing or not a list')
    const seen = new Set<string>()
    const items = value.items.map((raw: unknown, index): SavedPlanItem => {
      where = ` item ${index + 1}`
      const item = asObject(raw, 'it')
      const fields = membershipFields(item)
      if (seen.has(fields.name)) throw new FieldProblem(`${fields.name} is in the plan twice`)
      seen.add(fields.name)
      return { ...fields, from: requiredString(item, 'from'), to: requiredRole(item, 'to') }
    })
    return savedPlan({ ...head, items })
  } catch (error) {
    if (error instanceof FieldProblem) {
      throw new ChatRoleError('INPUT', `${source}${where}: ${error.message}`, {
        hint: 'a plan is written by chat-role; make it again with --dry-run --plan FILE',
      })
    }
    throw error
  }
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * apply: it still holds the role the plan saw; already-done: it already holds the planned role; stale:
 * someone changed it since the plan was made, so it is reported and not written.
 */
export type ApplyVerdict = 'apply' | 'already-done' | 'stale'

export function judgeApply(item: Pick<SavedPlanItem, 'from' | 'to'>, currentRole: string | undefined): ApplyVerdict {
  if (currentRole === item.to) return 'already-done'
  if (currentRole === item.from) return 'apply'
  return 'stale'
}
