// `chat-role auth status`: which credentials a command would use, who they act as, what they may do,
// and whether they still work (by refreshing an access token, which changes nothing stored).
import { isChatRoleError, type ErrorCode } from '../errors.js'
import { tokenInfoOf } from './clients.js'
import {
  openSession,
  type CredentialSummary,
  type SessionHooks,
  type SessionMode,
  type SessionRequest,
} from './session.js'

export interface StatusReport {
  readonly source: CredentialSummary['source']
  readonly profile?: string
  readonly file?: string
  /** The account's email when known. */
  readonly account?: string
  /** Who a command acts as, in words. */
  readonly actsAs: string
  readonly mode: SessionMode
  readonly serviceAccount?: string
  readonly impersonating?: string
  readonly scopes: readonly string[]
  readonly created?: string
  /** True when a fresh access token was obtained just now. */
  readonly refreshes: boolean
  /** Why the credentials cannot do what was asked (expired, a missing scope…). */
  readonly problem?: { readonly code: ErrorCode; readonly message: string; readonly hint?: string }
}

type Env = Readonly<Record<string, string | undefined>>

/** Throws when there are no usable credentials at all; otherwise reports, problems included. */
export async function authStatus(request: SessionRequest, env: Env, hooks: SessionHooks = {}): Promise<StatusReport> {
  const session = await openSession(request, env, hooks)
  const { credential } = session
  const base = {
    source: credential.source,
    ...(credential.profile !== undefined && { profile: credential.profile }),
    ...(credential.file !== undefined && { file: credential.file }),
    actsAs: session.account,
    mode: session.mode,
    ...(credential.serviceAccount !== undefined && { serviceAccount: credential.serviceAccount }),
    ...(credential.impersonating !== undefined && { impersonating: credential.impersonating }),
    ...(credential.created !== undefined && { created: credential.created }),
  }
  let scopes: readonly string[]
  try {
    scopes = await session.grantedScopes()
  } catch (error) {
    if (!isChatRoleError(error)) throw error
    return {
      ...base,
      ...(credential.account !== undefined && { account: credential.account }),
      scopes: credential.storedScopes ?? [],
      refreshes: false,
      problem: { code: error.code, message: error.message, ...(error.hint !== undefined && { hint: error.hint }) },
    }
  }
  let problem: StatusReport['problem']
  try {
    await session.assertScopes('write')
  } catch (error) {
    if (!isChatRoleError(error)) throw error
    problem = { code: error.code, message: error.message, ...(error.hint !== undefined && { hint: error.hint }) }
  }
  const account = credential.account ?? (await tokenInfoOf(session.authClient))?.email
  return {
    ...base,
    ...(account !== undefined && { account }),
    scopes,
    refreshes: true,
    ...(problem !== undefined && { problem }),
  }
}
