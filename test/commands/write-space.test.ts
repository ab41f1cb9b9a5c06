// A write goes out only once its `sending` line is on disk, on every attempt; a line the disk could not keep
// sends nothing. The connection here hands each attempt straight to the call, as the scheduler would.
import { describe, expect, it } from 'vitest'
import { parseMembershipRef } from '../../src/core/membership-name.js'
import type { MembershipSnapshot } from '../../src/core/plan.js'
import type { Role } from '../../src/core/role.js'
import type { ChatApi } from '../../src/chat/memberships.js'
import type { Connection } from '../../src/commands/connect.js'
import { newRunItem, type RunItem } from '../../src/commands/run/items.js'
import { writeSpace } from '../../src/commands/run/write-space.js'

const NAME = 'spaces/A/members/1'

function managerItem(): RunItem {
  const item = newRunItem(
    { ref: parseMembershipRef(NAME), entry: { text: NAME, source: 'stdin', line: 1 } },
    'ROLE_MEMBER',
  )
  item.snapshot = {
    name: NAME,
    role: 'ROLE_ASSISTANT_MANAGER',
    state: 'JOINED',
    memberKind: 'HUMAN',
    member: 'users/1',
  }
  item.step = { action: 'update', from: 'ROLE_ASSISTANT_MANAGER', to: 'ROLE_MEMBER' }
  return item
}

/** Each attempt calls `call`; a rejection is tried again, up to `attempts`. */
function fakeConnection(attempts: number, patches: string[]): Connection {
  const api = {
    patchRole: (name: string, role: Role): Promise<MembershipSnapshot> => {
      patches.push(name)
      return Promise.resolve({ name, role, state: 'JOINED', memberKind: 'HUMAN' })
    },
  } as unknown as ChatApi
  return {
    admin: false,
    scheduler: { stopped: false },
    async send(_request: unknown, call: (chat: ChatApi) => Promise<unknown>) {
      let error: unknown
      for (let attempt = 1; attempt <= attempts; attempt += 1) {
        try {
          return { attempts: attempt, throttled: 0, outcome: { ok: true, value: await call(api) } }
        } catch (thrown) {
          error = thrown
        }
      }
      return { attempts, throttled: 0, outcome: { ok: false, error, reason: 'failed', failure: { status: 400 } } }
    },
  } as unknown as Connection
}

describe('writeSpace and the journal', () => {
  it('sends the write only once its sending line is on disk', async () => {
    const patches: string[] = []
    let onDisk: () => void = () => undefined
    const sent: string[] = []
    const item = managerItem()
    const writing = writeSpace([item], Number.POSITIVE_INFINITY, {
      connection: fakeConnection(1, patches),
      fail: () => undefined,
      caller: undefined,
      settle: settled => sent.push(`settled ${settled.written === true ? 'written' : 'not written'}`),
      sending: () =>
        new Promise(resolve => {
          sent.push('sending')
          onDisk = resolve
        }),
    })
    await new Promise(resolve => setImmediate(resolve))
    expect(sent).toEqual(['sending'])
    expect(patches).toEqual([])
    onDisk()
    await writing
    expect(patches).toEqual([NAME])
    expect(sent).toEqual(['sending', 'settled written'])
  })

  it('sends nothing, on any attempt, when the disk could not keep the line, and writes it once', async () => {
    const patches: string[] = []
    let lines = 0
    const failures: unknown[] = []
    const item = managerItem()
    await writeSpace([item], Number.POSITIVE_INFINITY, {
      connection: fakeConnection(3, patches),
      fail: (_item, error) => failures.push(error),
      caller: undefined,
      settle: () => undefined,
      sending: () => {
        lines += 1
        return Promise.reject(new Error('cannot save the journal to disk'))
      },
    })
    expect(patches).toEqual([])
    expect(lines).toBe(1)
    expect(failures).toEqual([new Error('cannot save the journal to disk')])
    expect(item.written).toBeUndefined()
  })
})
