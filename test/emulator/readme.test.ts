// The README's error table lists every message the emulator can send, placeholders and all.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { Messages } from '../../src/emulator/http/errors.js'

const readme = readFileSync(new URL('../../src/emulator/README.md', import.meta.url), 'utf8')

/** How the README names what each message function fills in. */
const PLACEHOLDERS: Readonly<Record<string, readonly string[]>> = {
  routeNotFound: ['{path}'],
  unimplemented: ['{method id}'],
  rolesOnlyInSpaces: ['{spaceType}'],
  updateMaskUnsupported: ['{path}'],
  negativePageSize: ['{pageSize}'],
  invalidFilter: ['{detail}'],
  invalidQuery: ['{detail}'],
  searchOrderInvalid: ['{orderBy}'],
  userSearchUnimplemented: ['{method id}'],
  invalidJson: ['{detail}'],
  unknownBodyField: ['{name}', '{at}'],
  invalidValue: ['{field}', '{type}', '{value}'],
  unknownQueryParameter: ['{name}'],
  altNotJson: ['{alt}'],
  invalidFieldSelector: ['{fields}'],
  quotaExceeded: ['{metric}', '{limit}'],
  invalidSeed: ['{problem}'],
}

describe('src/emulator/README.md', () => {
  it.each(Object.entries(Messages))('lists %s', (key, message) => {
    const text =
      typeof message === 'string' ? message : (message as (...args: string[]) => string)(...(PLACEHOLDERS[key] ?? []))
    expect(text).not.toContain('undefined')
    expect(readme).toContain(`\`${text}\``)
  })

  it('documents every flag of --help', async () => {
    const { HELP_TEXT } = await import('../../src/emulator/cli-args.js')
    for (const [, flag] of HELP_TEXT.matchAll(/^\s+(?:-\w, )?(--[\w-]+)/gm)) expect(readme).toContain(`\`${flag ?? ''}`)
  })
})
