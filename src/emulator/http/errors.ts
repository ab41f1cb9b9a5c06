// Google's JSON error envelope (google.rpc.Status inside {"error": …}) and the one error type the
// emulator throws. Every message a client can see is built here, so the README table has one source.

/** Canonical google.rpc.Code names and the HTTP status Google maps each one to. */
export const HttpStatusOf = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  RESOURCE_EXHAUSTED: 429,
  INTERNAL: 500,
  UNIMPLEMENTED: 501,
  UNAVAILABLE: 503,
} as const

export type CanonicalStatus = keyof typeof HttpStatusOf

export type ErrorDetail = Readonly<Record<string, unknown>> & { readonly '@type': string }

export interface FieldViolation {
  readonly field: string
  readonly description: string
}

export class ApiError extends Error {
  readonly status: CanonicalStatus
  readonly httpStatus: number
  readonly details: readonly ErrorDetail[]
  readonly headers: Readonly<Record<string, string>>

  constructor(
    status: CanonicalStatus,
    message: string,
    details: readonly ErrorDetail[] = [],
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.httpStatus = HttpStatusOf[status]
    this.details = details
    this.headers = headers
  }
}

export interface ErrorEnvelope {
  readonly error: {
    readonly code: number
    readonly message: string
    readonly status: CanonicalStatus
    readonly details?: readonly ErrorDetail[]
  }
}

export function errorEnvelope(error: ApiError): ErrorEnvelope {
  const body = { code: error.httpStatus, message: error.message, status: error.status }
  return { error: error.details.length > 0 ? { ...body, details: error.details } : body }
}

export const SERVICE = 'chat.googleapis.com'

export function errorInfo(reason: string, domain: string, metadata: Readonly<Record<string, string>>): ErrorDetail {
  return { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain, metadata }
}

export function badRequest(violations: readonly FieldViolation[]): ErrorDetail {
  return { '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: violations }
}

/** The stable messages, by situation. */
export const Messages = {
  notFound: 'Requested entity was not found.',
  routeNotFound: (path: string) => `The requested URL ${path} was not found on this server.`,
  unimplemented: (methodId: string) =>
    `Method ${methodId} exists in the Google Chat API but is not implemented by chat-role-emulator.`,
  credentialsMissing:
    'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
  credentialsInvalid:
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
  scopeInsufficient: 'Request had insufficient authentication scopes.',
  chatAppNotFound:
    'Google Chat app not found. To create a Chat app, you must turn on the Chat API and configure the app in the Google Cloud console.',
  notAMember: 'The caller is not a member of the space and does not have permission to access it.',
  adminAccessNeedsUser: 'useAdminAccess=true requires user authentication by a Google Workspace administrator.',
  notAnAdmin:
    'The caller is not a Google Workspace administrator with the privilege to manage Chat spaces and conversations, so useAdminAccess=true is not allowed.',
  importScopeOutsideImport:
    'The https://www.googleapis.com/auth/chat.import scope can only be used in spaces in import mode (importMode true).',
  appDidNotCreateSpace:
    'With app authentication, memberships can only be updated in spaces created by the calling Chat app.',
  groupsNeedUserAuth: 'Reading or mutating memberships for Google Groups requires user authentication.',
  adminAppMembership: "Getting app memberships in a space isn't supported when using admin access.",
  memberCannotChangeRoles:
    'The caller does not have permission to change membership roles in this space. Only space owners (ROLE_MANAGER) and managers (ROLE_ASSISTANT_MANAGER) can change roles.',
  managerCannotMakeOwner:
    "Space managers (ROLE_ASSISTANT_MANAGER) can't make a member an owner (ROLE_MANAGER). Only space owners can.",
  managerCannotChangeOwner:
    "Space managers (ROLE_ASSISTANT_MANAGER) can't change the role of a space owner (ROLE_MANAGER). Only space owners can.",
  lastOwner:
    'The membership is the last owner (ROLE_MANAGER) of the space. Make another member an owner before changing this role.',
  rolesOnlyInSpaces: (spaceType: string) =>
    `Membership roles can only be changed in spaces (spaceType SPACE); this space is a ${spaceType}, where every member has ROLE_MEMBER.`,
  appTarget: 'Only the roles of human users can be changed; this membership belongs to a Chat app.',
  groupTarget:
    "The role of a Google Group membership can't be changed; Google Groups always have MEMBERSHIP_ROLE_UNSPECIFIED.",
  invitedTarget:
    'The membership is in state INVITED; a role can only be changed after the user joins the space (state JOINED).',
  patchEmailAlias:
    'An email address is not accepted as the {member} of spaces.members.patch. Use the canonical name from spaces.members.get or spaces.members.list (spaces/{space}/members/{user id}).',
  updateMaskMissing: 'The update_mask is required. Set updateMask to "role".',
  updateMaskUnsupported: (path: string) =>
    `Unsupported field path "${path}" in update_mask. The only supported field path is "role" (or "*").`,
  roleMissing: 'The membership role is required: set role to ROLE_MEMBER, ROLE_ASSISTANT_MANAGER or ROLE_MANAGER.',
  negativePageSize: (value: number) => `Invalid page size ${value}: the page size must not be negative.`,
  pageTokenInvalid: 'The page token is invalid.',
  pageTokenMismatch:
    'The page token does not match the request: when paginating, every other parameter must match the call that provided the page token.',
  adminListNeedsTypeFilter:
    'When use_admin_access is true, the filter must include member.type = "HUMAN" or member.type != "BOT"; other member type filters are rejected.',
  invalidFilter: (detail: string) => `Invalid filter: ${detail}`,
  invalidQuery: (detail: string) => `Invalid query: ${detail}`,
  searchQueryRequired:
    'The query is required. With useAdminAccess=true it must include customer = "customers/my_customer" AND space_type = "SPACE".',
  searchQueryTooLong: 'Invalid query: the maximum query length is 1,000 characters.',
  searchNeedsCustomer:
    'Invalid query: customer is required when use_admin_access is true; add customer = "customers/my_customer" (the only supported value).',
  searchNeedsSpaceType: 'Invalid query: space_type is required; add space_type = "SPACE" (the only valid value).',
  searchOrderInvalid: (orderBy: string) =>
    `Invalid order_by "${orderBy}": use membership_count.joined_direct_human_user_count, last_active_time or create_time, then ASC (default) or DESC.`,
  userSearchUnimplemented: (methodId: string) =>
    `Method ${methodId} without useAdminAccess=true (a user's search of their own spaces) exists in the Google Chat API but is not implemented by chat-role-emulator; search as an administrator with useAdminAccess=true.`,
  invalidJson: (detail: string) => `Invalid JSON payload received. ${detail}`,
  unknownBodyField: (name: string, at: string) =>
    `Invalid JSON payload received. Unknown name "${name}" at '${at}': Cannot find field.`,
  invalidValue: (field: string, type: string, value: string) => `Invalid value at '${field}' (${type}), ${value}`,
  unknownQueryParameter: (name: string) =>
    `Invalid JSON payload received. Unknown name "${name}": Cannot bind query parameter. Field '${name}' could not be found in request message.`,
  altNotJson: (alt: string) =>
    `alt=${alt} is not supported by chat-role-emulator; it answers alt=json (optionally with enum-encoding=int) only.`,
  invalidFieldSelector: (fields: string) => `Invalid field selector: ${fields}`,
  invalidPath: 'The request path is not valid percent-encoded UTF-8.',
  bodyTooLarge: 'The request body is too large.',
  quotaExceeded: (metric: string, limit: string) =>
    `Quota exceeded for quota metric '${metric}' and limit '${limit}' of service '${SERVICE}' for consumer 'project_number:${PROJECT_NUMBER}'.`,
  inspectionLoopbackOnly: 'The emulator inspection endpoints answer loopback clients only.',
  invalidSeed: (problem: string) => `Invalid seed: ${problem}`,
  internal: 'Internal error encountered.',
  unavailable: 'The service is currently unavailable.',
} as const

export const PROJECT_NUMBER = '123456789'

export function notFound(): ApiError {
  return new ApiError('NOT_FOUND', Messages.notFound)
}

export function invalidArgument(message: string, field?: string): ApiError {
  const details = field === undefined ? [] : [badRequest([{ field, description: message }])]
  return new ApiError('INVALID_ARGUMENT', message, details)
}

export function invalidValue(field: string, type: string, value: string): ApiError {
  return invalidArgument(Messages.invalidValue(field, type, value), field)
}
