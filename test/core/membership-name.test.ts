import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  MAX_NAME_LENGTH,
  formatMembershipName,
  parseMembershipRef,
  parseSpaceRef,
  printableText,
  quoteText,
  type MemberKind,
} from '../../src/core/membership-name.js'
import { ChatRoleError } from '../../src/errors.js'

const SPACE = { space: 'AAAAspace' } as const

function inputError(run: () => unknown): ChatRoleError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ChatRoleError)
    const chatRoleError = error as ChatRoleError
    expect(chatRoleError.code).toBe('INPUT')
    expect(chatRoleError.message).not.toMatch(/^Error:|[\n\r]/)
    expect(chatRoleError.hint).toBeTruthy()
    return chatRoleError
  }
  throw new Error('expected a ChatRoleError')
}

describe('parseMembershipRef accepts', () => {
  it.each<[string, { space?: string } | undefined, string, string, MemberKind]>([
    ['spaces/AAAAengineering/members/123456789', undefined, 'AAAAengineering', '123456789', 'id'],
    ['spaces/hCMQ_iAAAAE/members/106781799854903048523', undefined, 'hCMQ_iAAAAE', '106781799854903048523', 'id'],
    ['spaces/AAAA/members/app', undefined, 'AAAA', 'app', 'app'],
    ['spaces/AAAA/members/app-1', undefined, 'AAAA', 'app-1', 'id'],
    ['spaces/AAAA/members/App', undefined, 'AAAA', 'App', 'id'],
    ['spaces/AAAA/members/alice@example.com', undefined, 'AAAA', 'alice@example.com', 'email'],
    ['spaces/AAAA/members/Alice.Smith@Example.COM', undefined, 'AAAA', 'Alice.Smith@example.com', 'email'],
    ['spaces/AAAA/members/alice%40example.com', undefined, 'AAAA', 'alice@example.com', 'email'],
    ['spaces/AAAA/members/alice%40EXAMPLE.com', undefined, 'AAAA', 'alice@example.com', 'email'],
    ['  spaces/AAAA/members/42 \r\n', undefined, 'AAAA', '42', 'id'],
    ['spaces/AAAA/members/42', SPACE, 'AAAA', '42', 'id'],
    ['users/123', SPACE, 'AAAAspace', '123', 'id'],
    ['users/alice@Example.com', SPACE, 'AAAAspace', 'alice@example.com', 'email'],
    ['users/alice%40example.com', SPACE, 'AAAAspace', 'alice@example.com', 'email'],
    ['users/app', SPACE, 'AAAAspace', 'app', 'app'],
    ['123', SPACE, 'AAAAspace', '123', 'id'],
    [' alice@example.com ', SPACE, 'AAAAspace', 'alice@example.com', 'email'],
    ['bob+chat@sub.example.co.uk', SPACE, 'AAAAspace', 'bob+chat@sub.example.co.uk', 'email'],
    ["o'brien@example.ie", SPACE, 'AAAAspace', "o'brien@example.ie", 'email'],
    ['app', SPACE, 'AAAAspace', 'app', 'app'],
    ['123', { space: 'spaces/AAAAother' }, 'AAAAother', '123', 'id'],
    ['123', { space: 'https://chat.google.com/room/AAAAurl?cls=7' }, 'AAAAurl', '123', 'id'],
  ])('%j (context %j)', (text, context, space, member, kind) => {
    expect(parseMembershipRef(text, context)).toEqual({
      space,
      member,
      kind,
      name: `spaces/${space}/members/${member}`,
    })
  })

  it('keeps the space of a full name even when --space names another', () => {
    expect(parseMembershipRef('spaces/B/members/1', { space: 'A' }).name).toBe('spaces/B/members/1')
  })
})

describe('parseMembershipRef rejects', () => {
  it.each<[string, { space?: string } | undefined, string, RegExp]>([
    ['', undefined, 'membership name is empty', /spaces\/SPACE_ID\/members\/MEMBER/],
    ['  \t ', SPACE, 'membership name is empty', /spaces\/SPACE_ID\/members\/MEMBER/],
    [
      'space/AAAA/members/1',
      undefined,
      "'space/AAAA/members/1' is not a membership name: it starts with 'space/', not 'spaces/'",
      /spaces\/SPACE_ID\/members\/MEMBER/,
    ],
    [
      'rooms/AAAA/members/1',
      SPACE,
      "'rooms/AAAA/members/1' is not a membership name: it starts with 'rooms/', not 'spaces/'",
      /spaces\//,
    ],
    [
      'Spaces/AAAA/members/1',
      undefined,
      "'Spaces/AAAA/members/1' is not a membership name: it starts with 'Spaces/', not 'spaces/'",
      /spaces\//,
    ],
    ['members/1', SPACE, "'members/1' is not a membership name: it starts with 'members/', not 'spaces/'", /spaces\//],
    [
      'spaces/AAAA',
      undefined,
      "'spaces/AAAA' names a space, not a membership",
      /add the member: spaces\/AAAA\/members\/MEMBER/,
    ],
    ['spaces/AAAA/', SPACE, "'spaces/AAAA/' names a space, not a membership", /spaces\/AAAA\/members\/MEMBER/],
    [
      'spaces/AAAA/members',
      undefined,
      "'spaces/AAAA/members' is not a membership name: it has no member after 'members/'",
      /spaces\/AAAA\/members\/MEMBER/,
    ],
    [
      'spaces/AAAA/members/',
      undefined,
      "'spaces/AAAA/members/' is not a membership name: it has no member after 'members/'",
      /MEMBER/,
    ],
    [
      'spaces/AAAA/members//',
      undefined,
      "'spaces/AAAA/members//' is not a membership name: it has no member after 'members/'",
      /MEMBER/,
    ],
    [
      'spaces/A/member/1',
      undefined,
      "'spaces/A/member/1' is not a membership name: expected 'members' after the space id, found 'member'",
      /spaces\/SPACE_ID\/members\/MEMBER/,
    ],
    [
      'spaces/A/users/1',
      undefined,
      "'spaces/A/users/1' is not a membership name: expected 'members' after the space id, found 'users'",
      /members/,
    ],
    [
      'spaces/AAAA/members/1/',
      undefined,
      "'spaces/AAAA/members/1/' is not a membership name: it ends with '/'",
      /^remove the trailing '\/': spaces\/AAAA\/members\/1$/,
    ],
    [
      'spaces/AAAA/members/1/x',
      undefined,
      "'spaces/AAAA/members/1/x' is not a membership name: it has extra segments after the member",
      /MEMBER/,
    ],
    [
      'spaces/AAAA/members/users/1',
      undefined,
      "'spaces/AAAA/members/users/1' is not a membership name: write the user id without 'users/'",
      /^write spaces\/AAAA\/members\/1$/,
    ],
    ['spaces//members/1', undefined, "'spaces//members/1' is not a membership name: the space id is empty", /SPACE_ID/],
    ['spaces', SPACE, "'spaces' is not a membership name: the space id is empty", /SPACE_ID/],
    [
      'spaces/AA AA/members/1',
      undefined,
      "'spaces/AA AA/members/1' is not a membership name: the space id contains whitespace (' ')",
      /letters, digits/,
    ],
    [
      'spaces/AA.AA/members/1',
      undefined,
      "'spaces/AA.AA/members/1' is not a membership name: the space id contains '.'",
      /letters, digits/,
    ],
    [
      'spaces/AAAA/members/12 34',
      undefined,
      "'spaces/AAAA/members/12 34' is not a membership name: the member contains whitespace (' ')",
      /user id, an email or app/,
    ],
    [
      'spaces/AAAA/members/1;x',
      undefined,
      "'spaces/AAAA/members/1;x' is not a membership name: the member contains ';'",
      /user id/,
    ],
    [
      'spaces/AAAA/members/1?x=2',
      undefined,
      "'spaces/AAAA/members/1?x=2' is not a membership name: the member contains '?'",
      /user id/,
    ],
    [
      'spaces/AAAA/members/1\u200b',
      undefined,
      "'spaces/AAAA/members/1\\u200b' is not a membership name: the member contains '\\u200b' (ZERO WIDTH SPACE)",
      /user id/,
    ],
    [
      'spaces/AAAA/members/1\u00a0x',
      undefined,
      "'spaces/AAAA/members/1\\u00a0x' is not a membership name: the member contains whitespace ('\\u00a0', NO-BREAK SPACE)",
      /user id/,
    ],
    [
      'spaces/AAAA/members/alice@',
      undefined,
      "'spaces/AAAA/members/alice@' is not a membership name: the email has nothing after '@'",
      /name@example\.com/,
    ],
    [
      'spaces/AAAA/members/@example.com',
      undefined,
      "'spaces/AAAA/members/@example.com' is not a membership name: the email has nothing before '@'",
      /name@example\.com/,
    ],
    [
      'a@b@example.com',
      SPACE,
      "'a@b@example.com' is not a membership name: the email has more than one '@'",
      /name@example\.com/,
    ],
    [
      'alice@localhost',
      SPACE,
      "'alice@localhost' is not a membership name: the email's domain 'localhost' is not a domain like example.com",
      /name@example\.com/,
    ],
    [
      'alice@example..com',
      SPACE,
      "'alice@example..com' is not a membership name: the email's domain 'example..com' is not a domain like example.com",
      /name@/,
    ],
    [
      'alice@exa_mple.com',
      SPACE,
      "'alice@exa_mple.com' is not a membership name: the email's domain contains '_'",
      /name@example\.com/,
    ],
    [
      'jürgen@example.com',
      SPACE,
      "'jürgen@example.com' is not a membership name: the email contains 'ü' (U+00FC LATIN SMALL LETTER U WITH DIAERESIS)",
      /name@example\.com/,
    ],
    [
      'al/ice@example.com',
      SPACE,
      "'al/ice@example.com' is not a membership name: it starts with 'al/', not 'spaces/'",
      /spaces\//,
    ],
    [
      'alice%2540example.com',
      SPACE,
      "'alice%2540example.com' is not a membership name: the member contains '%'",
      /user id/,
    ],
    [
      'alice#1@example.com',
      SPACE,
      "'alice#1@example.com' is not a membership name: the email contains '#'",
      /name@example\.com/,
    ],
    [
      '123',
      undefined,
      "'123' needs a space: pass --space spaces/SPACE_ID or write spaces/SPACE_ID/members/123",
      /spaces\/SPACE_ID/,
    ],
    [
      'users/123',
      undefined,
      "'users/123' needs a space: pass --space spaces/SPACE_ID or write spaces/SPACE_ID/members/123",
      /SPACE_ID/,
    ],
    [
      'alice@Example.COM',
      {},
      "'alice@Example.COM' needs a space: pass --space spaces/SPACE_ID or write spaces/SPACE_ID/members/alice@example.com",
      /SPACE_ID/,
    ],
    [
      'app',
      undefined,
      "'app' needs a space: pass --space spaces/SPACE_ID or write spaces/SPACE_ID/members/app",
      /SPACE_ID/,
    ],
    ['users/', SPACE, "'users/' is not a membership name: it has no user after 'users/'", /users\/ID or users\/EMAIL/],
    ['users', SPACE, "'users' is not a membership name: it has no user after 'users/'", /users\/ID/],
    ['users/1/2', SPACE, "'users/1/2' is not a membership name: it has more after 'users/ID'", /users\/ID/],
    [
      'https://chat.google.com/room/AAAA',
      undefined,
      "'https://chat.google.com/room/AAAA' is a URL, which names a space, not a membership",
      /--space/,
    ],
    [
      'https://chat.google.com/room/AAAA',
      SPACE,
      "'https://chat.google.com/room/AAAA' is a URL, which names a space, not a membership",
      /--space/,
    ],
    [
      'mail.google.com/chat/u/0/#chat/space/AAAA',
      SPACE,
      "'mail.google.com/chat/u/0/#chat/space/AAAA' is a URL, which names a space, not a membership",
      /--space/,
    ],
    ['groups/0abc123', SPACE, "'groups/0abc123' is a Google Group: groups have no roles", /one by one/],
    [
      'spaces/AAAA/members/groups/0abc123',
      undefined,
      "'spaces/AAAA/members/groups/0abc123' is a Google Group: groups have no roles",
      /one by one/,
    ],
    [
      'spaces/A/members/1,spaces/A/members/2',
      undefined,
      "'spaces/A/members/1,spaces/A/members/2' holds 2 names: give one name per line or per argument",
      /MEMBER/,
    ],
    [
      'alice@example.com bob@example.com; carol@example.com',
      SPACE,
      "'alice@example.com bob@example.com; carol@example.com' holds 3 names: give one name per line or per argument",
      /MEMBER/,
    ],
  ])('%j (context %j)', (text, context, message, hint) => {
    const error = inputError(() => parseMembershipRef(text, context))
    expect(error.message).toBe(message)
    expect(error.hint).toMatch(hint)
  })

  it('quotes very long input cut to about 80 characters, on one line', () => {
    const long = `spaces/${'é'.repeat(300)}/members/1\n2`
    const error = inputError(() => parseMembershipRef(long))
    expect(error.message).toMatch(
      /^'spaces\/é+…' is not a membership name: the space id contains 'é' \(U\+00E9 LATIN SMALL LETTER E WITH ACUTE\)$/,
    )
    expect(error.message.length).toBeLessThan(180)
  })
})

describe('lookalike characters', () => {
  it.each([
    // U+0430 looks exactly like 'a': the code point is the only way to see it.
    ['spaces/AAAA/members/\u0430lice@example.com', "the email contains 'а' (U+0430 CYRILLIC SMALL LETTER A)"],
    ['spaces/AAAA/members/b\u043eb@example.com', "the email contains 'о' (U+043E CYRILLIC SMALL LETTER O)"],
    ['spaces/AAAA/members/bob@ex\u0430mple.com', "the email's domain contains 'а' (U+0430 CYRILLIC SMALL LETTER A)"],
    ['spaces/\u0391AAA/members/1', "the space id contains 'Α' (U+0391 GREEK CAPITAL LETTER ALPHA)"],
    ['spaces/AAAA/members/bob\uff20example.com', "the member contains '＠' (U+FF20 FULLWIDTH COMMERCIAL AT)"],
    ['spaces/AAAA/members/\uff11\uff12', "the member contains '１' (U+FF11 FULLWIDTH DIGIT ONE)"],
    ['spaces/AAAA/members/app\u20131', "the member contains '–' (U+2013 EN DASH)"],
    ['spaces/AAAA/members/o\u2019brien@example.ie', "the email contains '’' (U+2019 RIGHT SINGLE QUOTATION MARK)"],
    ['spaces/AAAA/members/jos\u00e9@example.com', "the email contains 'é' (U+00E9 LATIN SMALL LETTER E WITH ACUTE)"],
    [
      'spaces/AAAA/members/\u00c5se@example.com',
      "the email contains 'Å' (U+00C5 LATIN CAPITAL LETTER A WITH RING ABOVE)",
    ],
    // Not in the table: the code point alone.
    ['spaces/AAAA/members/\u4e2d', "the member contains '中' (U+4E2D)"],
    ['spaces/AAAA/members/1\u{1f600}', "the member contains '😀' (U+1F600)"],
    // Escaped already shows the code point; the name is added when known.
    ['spaces/AAAA/members/1\u200d2', "the member contains '\\u200d' (ZERO WIDTH JOINER)"],
    ['spaces/AAAA/members/1\u00ad2', "the member contains '\\u00ad' (SOFT HYPHEN)"],
    ['spaces/AAAA/members/1\u00012', "the member contains '\\u0001'"],
    ['spaces/AAAA/members/1\t2', "the member contains whitespace ('\\t')"],
    ['spaces/AAAA/members/1\u30002', "the member contains whitespace ('\\u3000', IDEOGRAPHIC SPACE)"],
    // ASCII needs no code point.
    ['spaces/AAAA/members/1;2', "the member contains ';'"],
  ])('%j: %s', (text, reason) => {
    const error = inputError(() => parseMembershipRef(text))
    expect(error.message).toMatch(/is not a membership name: /)
    expect(error.message.endsWith(reason)).toBe(true)
  })

  it('names Latin letters with one accent from their decomposition, as Unicode does', () => {
    // Checked against Python's unicodedata.name for each.
    const expected: Record<string, string> = {
      ñ: 'U+00F1 LATIN SMALL LETTER N WITH TILDE',
      Ç: 'U+00C7 LATIN CAPITAL LETTER C WITH CEDILLA',
      č: 'U+010D LATIN SMALL LETTER C WITH CARON',
      ő: 'U+0151 LATIN SMALL LETTER O WITH DOUBLE ACUTE',
      ą: 'U+0105 LATIN SMALL LETTER A WITH OGONEK',
      ż: 'U+017C LATIN SMALL LETTER Z WITH DOT ABOVE',
      ø: 'U+00F8 LATIN SMALL LETTER O WITH STROKE',
      ǖ: 'U+01D6',
      // ANGSTROM SIGN decomposes like Å but is not named LATIN CAPITAL LETTER A WITH RING ABOVE.
      '\u212b': 'U+212B',
    }
    for (const [char, description] of Object.entries(expected)) {
      expect(inputError(() => parseMembershipRef(`spaces/A/members/${char}`)).message).toContain(`(${description})`)
    }
  })
})

describe('length', () => {
  it('refuses a membership name longer than MAX_NAME_LENGTH, quoting it short', () => {
    const long = `spaces/${'A'.repeat(100_000)}/members/1`
    const error = inputError(() => parseMembershipRef(long))
    expect(error.message).toMatch(
      /^'spaces\/A+…' is 100017 characters long, too long for a membership name \(the limit is 2000\)$/,
    )
    expect(error.message.length).toBeLessThanOrEqual(160)
  })

  it('refuses a space longer than MAX_NAME_LENGTH', () => {
    const error = inputError(() => parseSpaceRef(`spaces/${'A'.repeat(MAX_NAME_LENGTH)}`))
    expect(error.message).toMatch(/is 2007 characters long, too long for a space \(the limit is 2000\)$/)
    expect(() => parseMembershipRef('1', { space: 'A'.repeat(MAX_NAME_LENGTH + 1) })).toThrow(/too long for a space/)
  })

  it('accepts a name of exactly the limit as far as length goes', () => {
    const atLimit = `spaces/A/members/${'1'.repeat(MAX_NAME_LENGTH - 'spaces/A/members/'.length)}`
    expect(parseMembershipRef(atLimit).member).toHaveLength(MAX_NAME_LENGTH - 17)
  })
})

describe('parseSpaceRef', () => {
  it.each([
    ['spaces/AAAAengineering', 'AAAAengineering'],
    ['AAAAengineering', 'AAAAengineering'],
    ['  spaces/hCMQ_iAAAAE\n', 'hCMQ_iAAAAE'],
    ['app-1', 'app-1'],
    ['https://chat.google.com/room/AAAAxyz', 'AAAAxyz'],
    ['https://chat.google.com/room/AAAAxyz?cls=7', 'AAAAxyz'],
    ['https://chat.google.com/room/AAAAxyz/', 'AAAAxyz'],
    ['https://chat.google.com/room/AAAAxyz/threadId123?cls=10', 'AAAAxyz'],
    ['https://chat.google.com/u/0/room/AAAAxyz', 'AAAAxyz'],
    ['https://chat.google.com/u/12/room/AAAAxyz#x', 'AAAAxyz'],
    ['https://mail.google.com/chat/u/0/#chat/space/AAAAxyz', 'AAAAxyz'],
    ['https://mail.google.com/chat/u/1/?pli=1#chat/space/AAAAxyz', 'AAAAxyz'],
    ['https://mail.google.com/chat/u/0/#chat/space/AAAAxyz/', 'AAAAxyz'],
    ['https://mail.google.com/mail/u/0/#chat/space/AAAAxyz', 'AAAAxyz'],
    ['https://chat.google.com/app/chat/AAAAxyz', 'AAAAxyz'],
    ['https://chat.google.com/u/0/app/chat/AAAAxyz?hl=en', 'AAAAxyz'],
    ['http://chat.google.com/room/AAAAxyz', 'AAAAxyz'],
    ['HTTPS://Chat.Google.com/room/AAAAxyz', 'AAAAxyz'],
    ['chat.google.com/room/AAAAxyz', 'AAAAxyz'],
    ['mail.google.com/chat/u/0/#chat/space/AAAAxyz', 'AAAAxyz'],
  ])('%j -> %j', (text, id) => {
    expect(parseSpaceRef(text)).toBe(id)
  })

  it.each([
    ['', 'space is empty'],
    ['spaces/', "'spaces/' has no space id"],
    ['spaces/AAAA/', "'spaces/AAAA/' is not a space name: it ends with '/'"],
    ['spaces/AAAA/threads/1', "'spaces/AAAA/threads/1' is not a space name: it has more after the space id"],
    ['spaces/AAAA/members/1', "'spaces/AAAA/members/1' is a membership name, not a space"],
    ['space/AAAA', "'space/AAAA' is not a space name: it starts with 'space/'"],
    ['rooms/AAAA', "'rooms/AAAA' is not a space name: it starts with 'rooms/'"],
    ['users/123', "'users/123' is not a space name: it starts with 'users/'"],
    ['spaces/AA AA', "'spaces/AA AA' is not a space name: the space id contains whitespace (' ')"],
    ['AAAA!', "'AAAA!' is not a space name: the space id contains '!'"],
    ['https://example.com/room/AAAA', "'https://example.com/room/AAAA' is not a Google Chat URL"],
    [
      'https://chat.google.com.evil.example/room/AAAA',
      "'https://chat.google.com.evil.example/room/AAAA' is not a Google Chat URL",
    ],
    ['ftp://chat.google.com/room/AAAA', "'ftp://chat.google.com/room/AAAA' is not a Google Chat URL"],
    ['https://chat.google.com/', "'https://chat.google.com/' is a Chat URL that names no space"],
    ['https://chat.google.com/app/home', "'https://chat.google.com/app/home' is a Chat URL that names no space"],
    [
      'https://mail.google.com/mail/u/0/#inbox',
      "'https://mail.google.com/mail/u/0/#inbox' is a Chat URL that names no space",
    ],
    [
      'https://chat.google.com/room/AA%20AA',
      "'https://chat.google.com/room/AA%20AA' is not a space name: the space id contains '%'",
    ],
    [
      'https://mail.google.com/chat/u/0/#chat/dm/AAAAdm',
      "'https://mail.google.com/chat/u/0/#chat/dm/AAAAdm' is a direct message: roles exist only in named spaces",
    ],
    [
      'https://chat.google.com/dm/AAAAdm',
      "'https://chat.google.com/dm/AAAAdm' is a direct message: roles exist only in named spaces",
    ],
  ])('rejects %j', (text, message) => {
    expect(inputError(() => parseSpaceRef(text)).message).toBe(message)
  })

  it('rejects an invalid --space once it is needed', () => {
    expect(inputError(() => parseMembershipRef('123', { space: 'space/AAAA' })).message).toMatch(
      /starts with 'space\/'/,
    )
  })
})

describe('quoting', () => {
  it.each([
    ['abc', "'abc'"],
    ['a\nb\tc\r', "'a\\nb\\tc\\r'"],
    ['\u0000\u001b[31m', "'\\u0000\\u001b[31m'"],
    ['\u202eevil', "'\\u202eevil'"],
    ['x'.repeat(81), `'${'x'.repeat(79)}…'`],
    ['x'.repeat(80), `'${'x'.repeat(80)}'`],
    ['😀'.repeat(100), `'${'😀'.repeat(79)}…'`],
    ['\ud800', "'\\ud800'"],
  ])('%j -> %s', (text, quoted) => {
    expect(quoteText(text)).toBe(quoted)
  })

  it('cuts at any length asked for', () => {
    expect(printableText('abcdef', 4)).toBe('abc…')
  })
})

// Generators for the properties.
const spaceId = fc.stringMatching(/^[A-Za-z0-9_-]{1,24}$/)
const memberId = fc.stringMatching(/^[A-Za-z0-9_-]{1,24}$/)
const label = fc.stringMatching(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,8}[A-Za-z0-9])?$/)
const ourEmail = fc
  .tuple(fc.stringMatching(/^[A-Za-z0-9._+'-]{1,20}$/), fc.array(label, { minLength: 2, maxLength: 4 }))
  .map(([local, labels]) => `${local}@${labels.join('.')}`)
// fast-check's own addresses, without the characters rejected on purpose (they mean something in a URL path).
const rfcEmail = fc.emailAddress().filter(email => !/[/?#%]/.test(email))
const email = fc.oneof(ourEmail, rfcEmail)
const member = fc.oneof(memberId, email, fc.constant('app'))
const canonical = (memberText: string): string => {
  const at = memberText.indexOf('@')
  return at === -1 ? memberText : memberText.slice(0, at) + memberText.slice(at).toLowerCase()
}
const kindOf = (memberText: string): MemberKind =>
  memberText === 'app' ? 'app' : memberText.includes('@') ? 'email' : 'id'

const NAME = /^spaces\/[A-Za-z0-9_-]+\/members\/[^/]+$/

function parsesOrRejects(text: string, context?: { space?: string }): void {
  try {
    const ref = parseMembershipRef(text, context)
    expect(ref.name).toMatch(NAME)
    expect(ref.name).toBe(formatMembershipName(ref.space, ref.member))
  } catch (error) {
    expect(error).toBeInstanceOf(ChatRoleError)
    expect((error as ChatRoleError).code).toBe('INPUT')
    expect((error as ChatRoleError).message).not.toMatch(/[\n\r]/)
  }
}

describe('properties', () => {
  it('formatMembershipName round-trips through parseMembershipRef', () => {
    fc.assert(
      fc.property(spaceId, member, (space, memberText) => {
        const expected = canonical(memberText)
        expect(parseMembershipRef(formatMembershipName(space, memberText))).toEqual({
          space,
          member: expected,
          kind: kindOf(memberText),
          name: formatMembershipName(space, expected),
        })
      }),
    )
  })

  it('parsing its own name gives the same ref (idempotent)', () => {
    const written = fc.oneof(
      fc.tuple(spaceId, member).map(([space, m]) => ({ text: formatMembershipName(space, m), space: undefined })),
      fc.tuple(spaceId, email).map(([space, m]) => ({
        text: `spaces/${space}/members/${m.replace('@', '%40')}`,
        space: undefined,
      })),
      fc
        .tuple(spaceId, member, fc.constantFrom('', 'users/'), fc.constantFrom('', ' ', '\t', '\n'))
        .map(([space, m, prefix, pad]) => ({ text: `${pad}${prefix}${m}${pad}`, space })),
    )
    fc.assert(
      fc.property(written, ({ text, space }) => {
        const ref = parseMembershipRef(text, space === undefined ? {} : { space })
        expect(parseMembershipRef(ref.name)).toEqual(ref)
        expect(parseMembershipRef(ref.name, { space: 'Other' })).toEqual(ref)
      }),
    )
  })

  it('any string either parses to a well-formed name or fails with an INPUT error', () => {
    const anyText = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: 'binary-ascii' }),
      fc
        .array(fc.oneof(fc.constantFrom('spaces', 'members', 'users', 'groups', 'app', '', '%40', '@'), fc.string()), {
          maxLength: 6,
        })
        .map(parts => parts.join('/')),
      fc.tuple(spaceId, fc.string({ unit: 'binary' })).map(([space, tail]) => `spaces/${space}/members/${tail}`),
    )
    fc.assert(
      fc.property(anyText, fc.option(spaceId, { nil: undefined }), (text, space) => {
        parsesOrRejects(text, space === undefined ? undefined : { space })
      }),
      { numRuns: 2000 },
    )
  })

  it('every URL form of a space parses to the same id as spaces/S', () => {
    const urlOf = fc.constantFrom(
      (id: string) => `https://chat.google.com/room/${id}`,
      (id: string, n: number) => `https://chat.google.com/room/${id}?cls=${n}`,
      (id: string) => `https://chat.google.com/room/${id}/`,
      (id: string, n: number) => `https://chat.google.com/u/${n}/room/${id}`,
      (id: string, n: number) => `https://mail.google.com/chat/u/${n}/#chat/space/${id}`,
      (id: string, n: number) => `https://mail.google.com/mail/u/${n}/?tab=rm#chat/space/${id}`,
      (id: string) => `https://chat.google.com/app/chat/${id}`,
      (id: string, n: number) => `https://chat.google.com/u/${n}/app/chat/${id}?hl=en#top`,
      (id: string) => `chat.google.com/room/${id}`,
      (id: string) => ` HTTPS://CHAT.GOOGLE.COM/room/${id} `,
    )
    fc.assert(
      fc.property(spaceId, fc.nat(9), urlOf, (id, n, url) => {
        expect(parseSpaceRef(url(id, n))).toBe(parseSpaceRef(`spaces/${id}`))
        expect(parseSpaceRef(url(id, n))).toBe(id)
      }),
    )
  })
})
