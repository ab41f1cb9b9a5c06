// The answers bin/chat-role.js prints without loading the program (dist/answers.json, rendered by the build) are
// what the program prints now, byte for byte, and cover the help of every command whose help is the same in every
// environment. Fails after a change to a command's options or wording until `npm run build` renders them again.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import type { App } from '../../src/commands/context.js'
import { createProgram } from '../../src/program.js'
import { VERSION } from '../../src/version.js'
import { runInProcess } from './run-in-process.js'

interface Answers {
  readonly texts: readonly string[]
  readonly version: Readonly<Record<string, number>>
  readonly help: Readonly<Record<string, number>>
}

const ANSWERS_FILE = join(import.meta.dirname, '../../dist/answers.json')

function readAnswers(): Answers {
  if (!existsSync(ANSWERS_FILE)) throw new Error('run npm run build first: this test reads dist/answers.json')
  return JSON.parse(readFileSync(ANSWERS_FILE, 'utf8')) as Answers
}

const answers = readAnswers()
const stored = (section: Readonly<Record<string, number>>): [readonly string[], string][] =>
  Object.entries(section).map(([argv, index]) => [JSON.parse(argv) as string[], answers.texts[index] ?? ''])

/** Every command's path below the program, e.g. ['auth', 'login']; [] for the program itself. */
function commandPaths(command: Command, path: readonly string[] = []): (readonly string[])[] {
  return [path, ...command.commands.flatMap(child => commandPaths(child, [...path, child.name()]))]
}

function programTree(): Command {
  const app: App = {
    io: { env: {} } as App['io'],
    exitCode: 0,
    globals: () => ({ json: false, verbose: false, color: false, input: false }),
    reporter: () => Promise.reject(new Error('no command runs here')),
  }
  return createProgram(app)
}

describe('stored answers', () => {
  it.each(stored(answers.help))('%j is what commander prints now', async (args, text) => {
    expect(await runInProcess(args), 'stale dist/answers.json? npm run build').toEqual({
      code: 0,
      stdout: text,
      stderr: '',
    })
  })

  it.each(stored(answers.version))('%j prints the version', async (args, text) => {
    expect(text).toBe(`${VERSION}\n`)
    expect(await runInProcess(args)).toEqual({ code: 0, stdout: text, stderr: '' })
  })

  it('holds no colour codes, so a terminal with colour gets the same text', () => {
    for (const text of answers.texts) expect(text).not.toContain('\u001b')
  })

  it('answers --help, -h and `help X` for every command whose help is the same in every environment', async () => {
    const left: string[] = []
    for (const path of commandPaths(programTree())) {
      const forms = [
        [...path, '--help'],
        [...path, '-h'],
        ...(path.length > 0 ? [[...path.slice(0, -1), 'help', ...path.slice(-1)]] : []),
      ]
      for (const form of forms) {
        if (JSON.stringify(form) in answers.help) continue
        // Left to the program: then the text must depend on where it runs.
        const here = await runInProcess(form, { HOME: '/home/a', XDG_CONFIG_HOME: '/home/a/.config' })
        const there = await runInProcess(form, { HOME: '/home/b', XDG_CONFIG_HOME: '/srv/b' })
        expect(here.code).toBe(0)
        expect(there.stdout, `${form.join(' ')} is not stored; npm run build?`).not.toBe(here.stdout)
        left.push(form.join(' '))
      }
    }
    // Today exactly auth login, whose --client-secrets default is a path under the user's config folder.
    expect(left).toEqual(['auth login --help', 'auth login -h', 'auth help login'])
  })
})
