// Membership and space names as users type them: full resource names, Chat URLs, bare ids and emails.
// Everything is checked here, before any request, so a typo fails with a message instead of reaching the API.
import { ChatRoleError } from '../errors.js'
import { characterName, describeCodePoint } from './character-names.js'

export type MemberKind = 'id' | 'email' | 'app'

export interface MembershipRef {
  /** Space id, e.g. 'AAAAengineering'. */
  readonly space: string
  /** Member id ('123456789', 'app-1'), an email (domain lower-cased), or 'app'. */
  readonly member: string
  readonly kind: MemberKind
  /** `spaces/${space}/members/${member}` */
  readonly name: string
}

// Google's ids look like AAAAxyz, hCMQ_iAAAAE, 106781799854903048523; the emulator's like app-1.
const NOT_ID = /[^A-Za-z0-9_-]/u
// RFC 5322 atext and dots, minus / ? # %: the name is put into a request path, where those mean something else.
const NOT_EMAIL_LOCAL = /[^A-Za-z0-9.!$&'*+=^_`{|}~-]/u
const EMAIL_DOMAIN = /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/
const NOT_EMAIL_DOMAIN = /[^A-Za-z0-9.-]/u

const MEMBERSHIP_FORM = 'write spaces/SPACE_ID/members/MEMBER, where MEMBER is a user id, an email or app'
const SPACE_FORM = 'write spaces/SPACE_ID, the bare SPACE_ID, or the Chat URL of the space'
const ID_RULE = "ids use only letters, digits, '_' and '-', like AAAAxyz or 106781799854903048523"

const MAX_QUOTED = 80
/** Real names are under 300 characters (an email is at most 254); a longer one is a wrong paste, not a name. */
export const MAX_NAME_LENGTH = 2000

/** Text safe to put in a one-line message: invisible and control characters escaped, cut to `max` characters. */
export function printableText(text: string, max = MAX_QUOTED): string {
  const chars = Array.from(text)
  const kept = chars.length > max ? chars.slice(0, max - 1) : chars
  return kept.map(escapeInvisible).join('') + (kept.length < chars.length ? '…' : '')
}

/** The offending input as messages quote it: 'spaces/A/member/1'. */
export const quoteText = (text: string): string => `'${printableText(text)}'`

const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

function escapeInvisible(char: string): string {
  if (char === ' ' || !/[\p{Cc}\p{Cf}\p{Cs}\p{Z}]/u.test(char)) return char
  const code = char.codePointAt(0) ?? 0
  return (
    NAMED_ESCAPES[char] ?? (code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`)
  )
}

export const formatMembershipName = (space: string, member: string): string => `spaces/${space}/members/${member}`

/** A space id from 'spaces/S', a bare 'S', or the space's Chat URL. */
export function parseSpaceRef(text: string): string {
  const input = text.trim()
  if (input === '') throw new ChatRoleError('INPUT', 'space is empty', { hint: SPACE_FORM })
  if (input.length > MAX_NAME_LENGTH) throw tooLong(input, 'a space', SPACE_FORM)
  const url = splitUrl(input)
  if (url !== undefined) return spaceOfUrl(input, url)
  const segments = input.split('/')
  const [head = '', id = '', third] = segments
  if (segments.length === 1) return checkSpaceId(input, input)
  if (head === 'spaces') {
    const rest = segments.slice(2)
    if (rest.length === 0) return checkSpaceId(id, input)
    if (third === 'members') {
      throw new ChatRoleError('INPUT', `${quoteText(input)} is a membership name, not a space`, {
        hint: `pass the space alone: spaces/${printableText(id)}`,
      })
    }
    const reason = rest.every(segment => segment === '') ? "it ends with '/'" : 'it has more after the space id'
    throw new ChatRoleError('INPUT', `${quoteText(input)} is not a space name: ${reason}`, { hint: SPACE_FORM })
  }
  throw new ChatRoleError('INPUT', `${quoteText(input)} is not a space name: it starts with ${quoteText(`${head}/`)}`, {
    hint: SPACE_FORM,
  })
}

function checkSpaceId(id: string, input: string): string {
  if (id === '') throw new ChatRoleError('INPUT', `${quoteText(input)} has no space id`, { hint: SPACE_FORM })
  const bad = NOT_ID.exec(id)
  if (bad !== null) {
    throw new ChatRoleError('INPUT', `${quoteText(input)} is not a space name: the space id ${contains(bad[0])}`, {
      hint: `${SPACE_FORM}; ${ID_RULE}`,
    })
  }
  return id
}

interface UrlParts {
  readonly scheme: string | undefined
  readonly host: string
  readonly path: string
  readonly fragment: string
}

// Only URLs with a scheme, or scheme-less ones on the two Chat hosts, count as URLs: 'spaces/A' must not.
function splitUrl(input: string): UrlParts | undefined {
  // The common case, a name like spaces/A/members/1, without running the full pattern.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(input) && !/^(?:chat|mail)\.google\.com(?:[/?#]|$)/i.test(input)) {
    return undefined
  }
  const match = /^(?:([a-z][a-z0-9+.-]*):\/\/)?([^/?#]*)([^?#]*)(?:\?[^#]*)?(?:#(.*))?$/is.exec(input)
  if (match === null) return undefined
  const [, scheme, host = '', path = '', fragment = ''] = match
  if (scheme === undefined && !/^(?:chat|mail)\.google\.com$/i.test(host)) return undefined
  return { scheme, host: host.toLowerCase(), path, fragment }
}

const isUrl = (input: string): boolean => splitUrl(input) !== undefined

function spaceOfUrl(input: string, url: UrlParts): string {
  const chatHost = url.host === 'chat.google.com' || url.host === 'mail.google.com'
  if ((url.scheme !== undefined && !/^https?$/i.test(url.scheme)) || !chatHost) {
    throw new ChatRoleError('INPUT', `${quoteText(input)} is not a Google Chat URL`, { hint: SPACE_FORM })
  }
  // chat.google.com/[u/N/]room/S and …/app/chat/S carry the id in the path; Gmail's …#chat/space/S in the fragment.
  const path = segmentsOf(url.path)
  while (path[0] === 'u' && /^\d+$/.test(path[1] ?? '')) path.splice(0, 2)
  const fragment = segmentsOf(url.fragment.split('?')[0] ?? '')
  const [p0, p1, p2] = path
  const [f0, f1, f2] = fragment
  const onChat = url.host === 'chat.google.com'
  const id =
    onChat && p0 === 'room'
      ? p1
      : onChat && p0 === 'app' && p1 === 'chat'
        ? p2
        : f0 === 'chat' && f1 === 'space'
          ? f2
          : undefined
  if (id !== undefined) return checkSpaceId(id, input)
  if (p0 === 'dm' || (p0 === 'app' && p1 === 'dm') || (f0 === 'chat' && f1 === 'dm')) {
    throw new ChatRoleError('INPUT', `${quoteText(input)} is a direct message: roles exist only in named spaces`, {
      hint: 'open the named space in Chat and copy its address',
    })
  }
  throw new ChatRoleError('INPUT', `${quoteText(input)} is a Chat URL that names no space`, {
    hint: 'open the space in Chat and copy its address (…/room/SPACE_ID or …#chat/space/SPACE_ID), or pass spaces/SPACE_ID',
  })
}

const segmentsOf = (path: string): string[] => path.split('/').filter(segment => segment !== '')

/**
 * A membership from 'spaces/S/members/M' (M an id, an email or app; '%40' read as '@'), or, when `context.space`
 * (a space id) is given, from 'users/M' or a bare M.
 */
export function parseMembershipRef(text: string, context: { readonly space?: string } = {}): MembershipRef {
  const input = text.trim()
  if (input === '') throw new ChatRoleError('INPUT', 'membership name is empty', { hint: MEMBERSHIP_FORM })
  if (input.length > MAX_NAME_LENGTH) throw tooLong(input, 'a membership name', MEMBERSHIP_FORM)
  if (isUrl(input)) {
    throw new ChatRoleError('INPUT', `${quoteText(input)} is a URL, which names a space, not a membership`, {
      hint: 'use the URL with --space, and name the member by id or email',
    })
  }
  // GAM's member lists are comma-separated; pasted into one line they must not read as one odd name.
  const parts = /[\s,;]/.test(input) ? input.split(/[\s,;]+/).filter(part => part !== '') : []
  if (parts.filter(part => /^(?:spaces|users)\/|@/.test(part)).length > 1) {
    const message = `${quoteText(input)} holds ${parts.length} names: give one name per line or per argument`
    throw new ChatRoleError('INPUT', message, { hint: MEMBERSHIP_FORM })
  }
  const segments = input.split('/')
  const [head = '', second] = segments
  if (head === 'spaces') return parseFullName(input, segments)
  if (head === 'groups') throw groupError(input)
  let member = input
  if (head === 'users') {
    if (second === undefined || second === '') {
      throw notMembership(input, "it has no user after 'users/'", 'write users/ID or users/EMAIL (with --space)')
    }
    if (segments.length > 2) throw notMembership(input, "it has more after 'users/ID'", 'write users/ID or users/EMAIL')
    member = second
  } else if (segments.length > 1) {
    throw notMembership(input, `it starts with ${quoteText(`${head}/`)}, not 'spaces/'`)
  }
  const parsed = parseMember(member, input)
  if (context.space === undefined) {
    const example = formatMembershipName('SPACE_ID', printableText(parsed.member))
    const message = `${quoteText(input)} needs a space: pass --space spaces/SPACE_ID or write ${example}`
    throw new ChatRoleError('INPUT', message, { hint: MEMBERSHIP_FORM })
  }
  return membershipRef(parseSpaceRef(context.space), parsed)
}

function parseFullName(input: string, segments: readonly string[]): MembershipRef {
  const [, space = '', collection, member = '', ...rest] = segments
  if (space === '') throw notMembership(input, 'the space id is empty')
  const badSpace = NOT_ID.exec(space)
  if (badSpace !== null) {
    throw notMembership(input, `the space id ${contains(badSpace[0])}`, `${MEMBERSHIP_FORM}; ${ID_RULE}`)
  }
  // A function: building hints on the happy path costs a million-name batch seconds.
  const withMember = (): string =>
    `add the member: spaces/${printableText(space)}/members/MEMBER, or pass the space with --space`
  if (collection === undefined || (collection === '' && segments.length === 3)) {
    throw new ChatRoleError('INPUT', `${quoteText(input)} names a space, not a membership`, { hint: withMember() })
  }
  if (collection !== 'members') {
    throw notMembership(input, `expected 'members' after the space id, found ${quoteText(collection)}`)
  }
  if (member === '') throw notMembership(input, "it has no member after 'members/'", withMember())
  if (rest.length > 0) {
    if (member === 'groups') throw groupError(input)
    const canonical = `spaces/${printableText(space)}/members/${printableText(rest.join('/'))}`
    if (member === 'users') throw notMembership(input, "write the user id without 'users/'", `write ${canonical}`)
    if (rest.every(segment => segment === '')) {
      throw notMembership(
        input,
        "it ends with '/'",
        `remove the trailing '/': spaces/${printableText(space)}/members/${printableText(member)}`,
      )
    }
    throw notMembership(input, 'it has extra segments after the member')
  }
  return membershipRef(space, parseMember(member, input))
}

function parseMember(text: string, input: string): { readonly member: string; readonly kind: MemberKind } {
  const member = text.replace(/%40/gi, '@')
  if (member === 'app') return { member, kind: 'app' }
  if (!member.includes('@')) {
    const bad = NOT_ID.exec(member)
    if (bad === null) return { member, kind: 'id' }
    throw notMembership(input, `the member ${contains(bad[0])}`, `a member is a user id, an email or app; ${ID_RULE}`)
  }
  const at = member.indexOf('@')
  const local = member.slice(0, at)
  const domain = member.slice(at + 1)
  const emailHint = 'write the email as name@example.com'
  if (domain.includes('@')) throw notMembership(input, "the email has more than one '@'", emailHint)
  if (local === '') throw notMembership(input, "the email has nothing before '@'", emailHint)
  if (domain === '') throw notMembership(input, "the email has nothing after '@'", emailHint)
  const badLocal = NOT_EMAIL_LOCAL.exec(local)
  if (badLocal !== null) throw notMembership(input, `the email ${contains(badLocal[0])}`, emailHint)
  const badDomain = NOT_EMAIL_DOMAIN.exec(domain)
  if (badDomain !== null) throw notMembership(input, `the email's domain ${contains(badDomain[0])}`, emailHint)
  if (!EMAIL_DOMAIN.test(domain)) {
    throw notMembership(input, `the email's domain ${quoteText(domain)} is not a domain like example.com`, emailHint)
  }
  // Domains are case-insensitive; the local part is kept as typed.
  return { member: `${local}@${domain.toLowerCase()}`, kind: 'email' }
}

const membershipRef = (space: string, { member, kind }: { member: string; kind: MemberKind }): MembershipRef => ({
  space,
  member,
  kind,
  name: formatMembershipName(space, member),
})

/**
 * "contains ';'"; outside ASCII the code point too, since a lookalike cannot be told apart by eye:
 * "contains 'а' (U+0430 CYRILLIC SMALL LETTER A)". An escaped character ('\u200b') already shows its code point,
 * so only its name is added.
 */
function contains(char: string): string {
  const quoted = quoteText(char)
  const escaped = printableText(char) !== char
  const about = /^[\x20-\x7e]$/.test(char) ? undefined : escaped ? characterName(char) : describeCodePoint(char)
  if (/^\s$/u.test(char)) return `contains whitespace (${quoted}${about === undefined ? '' : `, ${about}`})`
  return `contains ${quoted}${about === undefined ? '' : ` (${about})`}`
}

const notMembership = (input: string, reason: string, hint = MEMBERSHIP_FORM): ChatRoleError =>
  new ChatRoleError('INPUT', `${quoteText(input)} is not a membership name: ${reason}`, { hint })

const tooLong = (input: string, what: string, hint: string): ChatRoleError =>
  new ChatRoleError(
    'INPUT',
    `${quoteText(input)} is ${input.length} characters long, too long for ${what} (the limit is ${MAX_NAME_LENGTH})`,
    { hint },
  )

const groupError = (input: string): ChatRoleError =>
  new ChatRoleError('INPUT', `${quoteText(input)} is a Google Group: groups have no roles`, {
    hint: "change the roles of the group's people one by one: spaces/SPACE_ID/members/USER",
  })
