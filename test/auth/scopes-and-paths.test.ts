import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkProfileName, configDir, credentialsPath, namedProfile } from '../../src/auth/config-paths.js'
import { emulatorUrlOf, GOOGLE_ENDPOINTS, resolveEndpoints } from '../../src/auth/endpoints.js'
import { loginScopes, missingScope, SCOPES, serviceAccountScopes } from '../../src/auth/scopes.js'
import { isChatRoleError } from '../../src/errors.js'

describe('scopes', () => {
  it('asks for chat.memberships and chat.spaces.readonly, plus admin and import only on request, and nothing more', () => {
    expect(loginScopes({ admin: false, import: false })).toEqual([SCOPES.memberships, SCOPES.spacesReadonly])
    expect(loginScopes({ admin: true, import: true })).toEqual([
      SCOPES.memberships,
      SCOPES.spacesReadonly,
      SCOPES.adminMemberships,
      SCOPES.adminSpacesReadonly,
      SCOPES.import,
    ])
  })

  it.each([
    [[SCOPES.memberships], 'user', 'write', undefined],
    [[SCOPES.membershipsReadonly], 'user', 'read', undefined],
    [[SCOPES.membershipsReadonly], 'user', 'write', SCOPES.memberships],
    [[SCOPES.memberships], 'admin', 'read', SCOPES.adminMemberships],
    [[SCOPES.memberships, SCOPES.adminMemberships], 'admin', 'write', undefined],
    [[SCOPES.adminMembershipsReadonly], 'admin', 'read', undefined],
    [[SCOPES.adminMembershipsReadonly], 'admin', 'write', SCOPES.adminMemberships],
    [[SCOPES.appMemberships], 'app', 'write', undefined],
  ] as const)('%j as %s for %s lacks %s', (granted, authority, access, missing) => {
    expect(missingScope(granted, authority, access)).toBe(missing)
  })

  it('gives a service account exactly the scope of its role', () => {
    expect(serviceAccountScopes('user')).toEqual([SCOPES.memberships])
    expect(serviceAccountScopes('admin')).toEqual([SCOPES.adminMemberships])
    expect(serviceAccountScopes('app')).toEqual([SCOPES.appMemberships])
  })
})

describe('config folder', () => {
  it('follows each platform, and XDG_CONFIG_HOME when set', () => {
    expect(configDir({ HOME: '/h' }, 'linux')).toBe('/h/.config/chat-role')
    expect(configDir({ HOME: '/h', XDG_CONFIG_HOME: '/x' }, 'linux')).toBe('/x/chat-role')
    expect(configDir({ HOME: '/h' }, 'darwin')).toBe('/h/Library/Application Support/chat-role')
    expect(configDir({ HOME: '/h', APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toBe(
      join('C:\\Users\\a\\AppData\\Roaming', 'chat-role'),
    )
    expect(credentialsPath('work', { HOME: '/h' }, 'linux')).toBe('/h/.config/chat-role/credentials/work.json')
  })

  it.each(['../x', 'a/b', '', '.hidden', 'x'.repeat(65), 'a b', 'ends.'])('refuses the profile name %j', name => {
    expect(() => checkProfileName(name)).toThrow(/is not a profile name/)
  })

  it('takes --profile, then CHAT_ROLE_PROFILE', () => {
    expect(namedProfile('a', { CHAT_ROLE_PROFILE: 'b' })).toBe('a')
    expect(namedProfile(undefined, { CHAT_ROLE_PROFILE: 'b' })).toBe('b')
    expect(namedProfile(undefined, { CHAT_ROLE_PROFILE: ' ' })).toBeUndefined()
    try {
      namedProfile(undefined, { CHAT_ROLE_PROFILE: '../etc' })
      expect.unreachable()
    } catch (error) {
      expect(isChatRoleError(error) && error.exitCode).toBe(2)
    }
  })
})

describe('endpoints', () => {
  it("uses Google's URLs without an emulator, and rewrites nothing", () => {
    expect(resolveEndpoints({})).toBe(GOOGLE_ENDPOINTS)
    expect(emulatorUrlOf(new URL('https://oauth2.googleapis.com/token'), GOOGLE_ENDPOINTS)).toBeUndefined()
  })

  it("sends Google's three hosts to the emulator, path and query kept, and nothing else", () => {
    const endpoints = resolveEndpoints({ CHAT_EMULATOR_HOST: '127.0.0.1:9' })
    expect(endpoints.tokenUrl).toBe('http://127.0.0.1:9/token')
    const rewrite = (url: string): string | undefined => emulatorUrlOf(new URL(url), endpoints)?.toString()
    expect(rewrite('https://oauth2.googleapis.com/token')).toBe('http://127.0.0.1:9/token')
    expect(rewrite('https://chat.googleapis.com/v1/spaces/A/members/B?updateMask=role')).toBe(
      'http://127.0.0.1:9/v1/spaces/A/members/B?updateMask=role',
    )
    expect(rewrite('https://accounts.google.com/o/oauth2/v2/auth?x=1')).toBe('http://127.0.0.1:9/o/oauth2/v2/auth?x=1')
    expect(rewrite('https://example.com/token')).toBeUndefined()
    expect(rewrite('http://oauth2.googleapis.com/token')).toBeUndefined()
  })
})
