import { describe, expect, it } from 'vitest'
import { buildListFilter } from '../../src/core/list-filter.js'
import { ChatRoleError } from '../../src/errors.js'

describe('buildListFilter', () => {
  it('filters owners and members on the server with documented values', () => {
    expect(buildListFilter({ role: 'ROLE_MANAGER', admin: false, groups: false })).toEqual({
      server: 'role = "ROLE_MANAGER"',
      clientRole: undefined,
    })
    expect(buildListFilter({ role: 'ROLE_MEMBER', admin: false, groups: false }).server).toBe('role = "ROLE_MEMBER"')
  })

  it('filters managers (ROLE_ASSISTANT_MANAGER) here, since the API does not document it', () => {
    expect(buildListFilter({ role: 'ROLE_ASSISTANT_MANAGER', admin: false, groups: false })).toEqual({
      server: undefined,
      clientRole: 'ROLE_ASSISTANT_MANAGER',
    })
  })

  it('combines type and role with AND', () => {
    expect(buildListFilter({ role: 'ROLE_MANAGER', type: 'human', admin: false, groups: false }).server).toBe(
      'member.type = "HUMAN" AND role = "ROLE_MANAGER"',
    )
  })

  it('adds the type filter that admin access requires', () => {
    expect(buildListFilter({ admin: true, groups: false }).server).toBe('member.type = "HUMAN"')
    expect(buildListFilter({ admin: true, groups: true }).server).toBe('member.type != "BOT"')
  })

  it('refuses apps under admin access', () => {
    expect(() => buildListFilter({ type: 'bot', admin: true, groups: false })).toThrow(ChatRoleError)
  })
})
