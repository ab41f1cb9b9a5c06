// The emulator is its own side of the wire: every module under src/emulator/ imports Node built-ins
// and other emulator modules only, from whichever folder it sits in. (The eslint boundary rule
// names relative paths one level up; this test covers every depth.)
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../src/emulator/', import.meta.url))

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  )
}

function specifiers(text: string): string[] {
  const found: string[] = []
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/g))
    found.push(match[1] ?? '')
  for (const match of text.matchAll(/(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g)) found.push(match[1] ?? '')
  for (const match of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(match[1] ?? '')
  return found
}

const files = sources(root)

describe('src/emulator imports', () => {
  it('finds the emulator sources', () => {
    expect(files.length).toBeGreaterThan(40)
  })

  it.each(files.map(file => [relative(root, file), file]))(
    '%s imports node: built-ins and emulator modules only',
    (_name, file) => {
      for (const specifier of specifiers(readFileSync(file, 'utf8'))) {
        if (specifier.startsWith('node:')) continue
        expect(specifier, `${specifier} is neither node:* nor relative`).toMatch(/^\.\.?\//)
        const target = resolve(dirname(file), specifier)
        expect(relative(root, target).startsWith('..'), `${specifier} leaves src/emulator`).toBe(false)
      }
    },
  )
})
