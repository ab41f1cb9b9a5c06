// Usage errors, commander's included: one form (`chat-role: …` / `hint: …`), exit 2, and with --json the same
// {ok: false, error} document as every other error, wherever --json stands.
import { describe, expect, it } from 'vitest'
import { closestWord, jsonBeforeSeparator } from '../../src/program.js'
import { runInProcess } from './run-in-process.js'

const ROLE_HINT =
  'did you mean manager (ROLE_ASSISTANT_MANAGER)? use member, manager or owner (or ROLE_MEMBER, ROLE_ASSISTANT_MANAGER, ROLE_MANAGER)'
const COMMANDS = 'promote, demote, set, undo, apply, handover, show, list, spaces, auth'

/** argv, then the two lines on stderr. */
const CASES: readonly (readonly [readonly string[], string, string])[] = [
  [['set', 'manger', 'X'], "unknown role 'manger'", ROLE_HINT],
  [['promot', 'x'], "unknown command 'promot'", `did you mean promote? Commands: ${COMMANDS}; see chat-role --help`],
  [['frobnicate'], "unknown command 'frobnicate'", `Commands: ${COMMANDS}; see chat-role --help`],
  [['promote', '--frob', 'x'], "unknown option '--frob' for promote", 'see chat-role promote --help for its options'],
  [
    ['promote', '--spce', 'x'],
    "unknown option '--spce' for promote",
    'did you mean --space? See chat-role promote --help',
  ],
  [
    ['promote', '--jsn', 'x'],
    "unknown option '--jsn' for promote",
    'did you mean --json? See chat-role promote --help',
  ],
  [['--frob'], "unknown option '--frob'", 'see chat-role --help for its options'],
  [['show'], 'show needs <membership>', 'usage: chat-role show [options] <membership>; see chat-role show --help'],
  [
    ['show', 'a', 'b'],
    "show takes 1 argument; unexpected: 'b'",
    'usage: chat-role show [options] <membership>; see chat-role show --help',
  ],
  [
    ['promote', '--to', 'member', 'x'],
    "--to takes manager or owner, not 'member'",
    'promote never lowers a role: use chat-role demote (or chat-role set member)',
  ],
  [['list', 'S', '--type', 'robot'], "--type takes human or bot, not 'robot'", 'see chat-role list --help'],
  [['list', 'S', '--role', 'managr'], "unknown role 'managr'", ROLE_HINT],
  [
    ['promote', '--concurrency', '0', 'X'],
    "--concurrency takes a whole number from 1 to 64, not '0'",
    'leave it out to let chat-role choose; see chat-role promote --help',
  ],
  [
    ['demote', '--concurrency', '65', 'X'],
    "--concurrency takes a whole number from 1 to 64, not '65'",
    'leave it out to let chat-role choose; see chat-role demote --help',
  ],
  [
    ['set', 'owner', '--max-rate', '100001', 'X'],
    "--max-rate takes a whole number from 1 to 100000, not '100001'",
    'leave it out for no cap; see chat-role set --help',
  ],
  [
    ['promote', '--max-attempts', '2.5', 'X'],
    "--max-attempts takes a whole number from 1 to 20, not '2.5'",
    '1 means no retries; see chat-role promote --help',
  ],
  [['promote', '--space'], '--space needs a value', 'write --space <space>; see chat-role promote --help'],
  [
    ['auth', 'login', '--timeout', 'x'],
    "invalid --timeout 'x': expected seconds, from 1 to 86400",
    'see chat-role auth login --help',
  ],
  [['auth', 'frob'], "unknown auth command 'frob'", 'Commands: login, status, list, logout; see chat-role auth --help'],
  [
    ['auth', 'lgin'],
    "unknown auth command 'lgin'",
    'did you mean login? Commands: login, status, list, logout; see chat-role auth --help',
  ],
  [[], 'no command given', `Commands: ${COMMANDS}; see chat-role --help`],
  [['auth'], 'auth needs a command', 'Commands: login, status, list, logout; see chat-role auth --help'],
]

describe('usage errors, in the house form', () => {
  it.each(CASES)('%j', async (args, message, hint) => {
    const result = await runInProcess(args)
    expect(result).toEqual({ code: 2, stdout: '', stderr: `chat-role: ${message}\nhint: ${hint}\n` })
  })

  it.each(CASES)('--json %j: the error document on stdout, the same lines on stderr', async (args, message, hint) => {
    for (const argv of [
      ['--json', ...args],
      [...args, '--json'],
    ]) {
      const result = await runInProcess(argv)
      expect(result.code, argv.join(' ')).toBe(2)
      expect(JSON.parse(result.stdout), argv.join(' ')).toEqual({ ok: false, error: { code: 'USAGE', message, hint } })
      expect(result.stderr, argv.join(' ')).toBe(`chat-role: ${message}\nhint: ${hint}\n`)
    }
  })

  it('takes --json after the subcommand and among its options', async () => {
    const result = await runInProcess(['promote', '--json', '--frob', 'x'])
    expect(result.code).toBe(2)
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { code: 'USAGE' } })
  })

  it('reads a --json after -- as a name, not as the option', async () => {
    const result = await runInProcess(['promote', '--frob', '--', '--json'])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/^chat-role: unknown option '--frob' for promote\n/)
  })

  it('never prints commander’s own wording', async () => {
    for (const [args] of CASES) {
      const { stderr } = await runInProcess(args)
      expect(stderr).not.toMatch(/run with --help|^error:|Allowed choices|command-argument|Did you mean|Usage:/m)
    }
  })

  it('keeps help and version at exit 0 on stdout', async () => {
    expect(await runInProcess(['--version'])).toMatchObject({ code: 0, stderr: '' })
    const help = await runInProcess(['help', 'promote'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Usage: chat-role promote')
  })
})

describe('jsonBeforeSeparator', () => {
  it.each([
    [['--json', 'promote'], true],
    [['promote', 'x', '--json'], true],
    [['promote', '--', '--json'], false],
    [['promote', '--json=1'], false],
    [['promote', '--jsonx'], false],
    [[], false],
  ] as const)('%j → %s', (args, expected) => {
    expect(jsonBeforeSeparator(args)).toBe(expected)
  })
})

describe('closestWord', () => {
  it.each([
    ['promot', ['promote', 'demote'], 'promote'],
    ['demtoe', ['promote', 'demote'], 'demote'],
    ['--spce', ['--space', '--yes'], '--space'],
    ['frobnicate', ['promote', 'demote', 'set', 'show', 'list', 'auth'], undefined],
    ['x', ['set', 'show'], undefined],
  ] as const)('%s → %s', (word, candidates, expected) => {
    expect(closestWord(word, candidates)).toBe(expected)
  })
})

describe('help wherever it is asked for', () => {
  it('prints the same help for help promote and promote --help', async () => {
    const direct = await runInProcess(['promote', '--help'])
    expect(direct.stdout).toContain('Usage: chat-role promote')
    expect(await runInProcess(['help', 'promote'])).toEqual(direct)
  })

  it('prints the program help, every command in full, for --help before or without a command', async () => {
    const help = await runInProcess(['--help'])
    expect(help.stdout).toContain('set [options] [role] [memberships...]')
    expect(help.stdout).toContain('undo [options] <journal>')
    expect(help.stdout).toContain('apply [options] <plan>')
    expect(help.stdout).toContain('list [options] <spaces...>')
    for (const args of [['help'], ['-h', 'promote'], ['promot', '--help'], ['--json', '--help']]) {
      expect(await runInProcess(args), args.join(' ')).toEqual(help)
    }
  })

  it('runs the command named after --', async () => {
    const result = await runInProcess(['--json', '--', 'promote', 'x'])
    expect(result.code).toBe(2)
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { code: 'INPUT' } })
  })
})
