// What comes back from Google's consent page, by the loopback redirect or pasted by the user:
// `?code=…&state=…` or `?error=…&state=…`. Pure: checks the state and turns errors into sentences.
import { timingSafeEqual } from 'node:crypto'
import { ChatRoleError } from '../errors.js'

/** The parameters of a redirect, or undefined when the text is not one (so the user can try again). */
export function parseRedirect(text: string): URLSearchParams | undefined {
  const trimmed = text.trim()
  if (trimmed === '') return undefined
  let query: string
  try {
    query = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? new URL(trimmed).search : trimmed.slice(trimmed.indexOf('?') + 1)
  } catch {
    return undefined
  }
  const params = new URLSearchParams(query)
  return params.has('code') || params.has('error') ? params : undefined
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

/** Whether an answer belongs to this sign-in: its `state` is the one we sent (compared in constant time). */
export function belongsToSignIn(params: URLSearchParams, expectedState: string): boolean {
  const state = params.get('state')
  return state !== null && sameText(state, expectedState)
}

const RETRY = 'run chat-role auth login again'

/** The authorization code, after checking `state`; a refusal or a mismatch is a ChatRoleError (exit 4). */
export function authorizationCodeOf(params: URLSearchParams, expectedState: string): string {
  if (!belongsToSignIn(params, expectedState)) {
    throw new ChatRoleError(
      'AUTH_REQUIRED',
      'the sign-in answer does not belong to this sign-in (state mismatch); nothing was saved',
      { hint: `${RETRY}, and use the newest link it prints` },
    )
  }
  const error = params.get('error')
  if (error !== null) throw refusal(error, params.get('error_description') ?? undefined)
  const code = params.get('code')
  if (code === null || code === '') {
    throw new ChatRoleError('AUTH_REQUIRED', 'the sign-in answer carried no authorization code; nothing was saved', {
      hint: RETRY,
    })
  }
  return code
}

function refusal(error: string, description: string | undefined): ChatRoleError {
  switch (error) {
    case 'access_denied':
      return new ChatRoleError('AUTH_REQUIRED', 'access was not granted on the consent page; nothing was saved', {
        hint: `${RETRY} and choose Allow (ask your Workspace admin if the app is blocked)`,
      })
    case 'admin_policy_enforced':
      return new ChatRoleError(
        'AUTH_REQUIRED',
        'your Workspace admin does not allow this OAuth client to access Google Chat',
        {
          hint: 'ask the admin to trust the client in Admin console → Security → Access and data control → API controls',
        },
      )
    case 'invalid_scope':
      return new ChatRoleError(
        'AUTH_REQUIRED',
        `Google refused the requested scopes${description === undefined ? '' : ` (${description})`}`,
        {
          hint: 'add the Chat scopes to the OAuth consent screen of the Cloud project, then sign in again',
        },
      )
    default:
      return new ChatRoleError(
        'AUTH_REQUIRED',
        `Google refused the sign-in: ${error}${description === undefined ? '' : ` (${description})`}`,
        {
          hint: RETRY,
        },
      )
  }
}
