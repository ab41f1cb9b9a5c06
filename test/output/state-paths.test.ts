import { describe, expect, it } from 'vitest'
import { configDir } from '../../src/auth/config-paths.js'
import { runsDir, stateDir } from '../../src/output/state-paths.js'

describe('stateDir', () => {
  it.each<[NodeJS.Platform, Record<string, string>, string]>([
    ['linux', { HOME: '/home/o' }, '/home/o/.local/state/chat-role'],
    ['linux', { HOME: '/home/o', XDG_STATE_HOME: '/xdg/state' }, '/xdg/state/chat-role'],
    ['linux', { HOME: '/home/o', XDG_STATE_HOME: '  ' }, '/home/o/.local/state/chat-role'],
    ['freebsd', { HOME: '/home/o' }, '/home/o/.local/state/chat-role'],
    ['darwin', { HOME: '/Users/o' }, '/Users/o/Library/Application Support/chat-role'],
    ['darwin', { HOME: '/Users/o', XDG_STATE_HOME: '/xdg/state' }, '/xdg/state/chat-role'],
    ['win32', { LOCALAPPDATA: 'C:\\Users\\o\\AppData\\Local' }, 'C:\\Users\\o\\AppData\\Local\\chat-role'],
    ['win32', { USERPROFILE: 'C:\\Users\\o' }, 'C:\\Users\\o\\AppData\\Local\\chat-role'],
    // XDG is a Unix convention; Windows keeps state in LOCALAPPDATA, which does not roam.
    ['win32', { LOCALAPPDATA: 'D:\\L', XDG_STATE_HOME: '/xdg' }, 'D:\\L\\chat-role'],
  ])('on %s with %o is %s', (platform, env, expected) => {
    expect(stateDir(env, platform)).toBe(expected)
  })

  it('puts journals in a runs folder', () => {
    expect(runsDir({ HOME: '/home/o' }, 'linux')).toBe('/home/o/.local/state/chat-role/runs')
    expect(runsDir({ LOCALAPPDATA: 'C:\\L' }, 'win32')).toBe('C:\\L\\chat-role\\runs')
  })

  it('is not the configuration folder on Linux, where both have their own XDG home', () => {
    const env = { HOME: '/home/o' }
    expect(stateDir(env, 'linux')).not.toBe(configDir(env, 'linux'))
  })
})
