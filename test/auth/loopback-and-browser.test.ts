import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { browserCommands, openBrowser } from '../../src/auth/browser.js'
import { startLoopbackServer } from '../../src/auth/loopback-server.js'
import { rejectionOf } from './expect-error.js'

describe('loopback server', () => {
  it('listens on 127.0.0.1 only, survives stray requests, and takes the first answer', async () => {
    const server = await startLoopbackServer({ expectedState: 's' })
    try {
      expect(server.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
      const favicon = await fetch(new URL('/favicon.ico', server.redirectUri))
      expect(favicon.status).toBe(404)
      const bare = await fetch(server.redirectUri)
      expect(bare.status).toBe(404)
      // A port probe that connects and sends garbage must not bring the server down.
      await new Promise<void>(resolve => {
        const socket = connect(Number(new URL(server.redirectUri).port), '127.0.0.1', () => {
          socket.end('NOT HTTP\r\n\r\n')
        })
        socket.on('close', () => {
          resolve()
        })
        socket.on('error', () => {
          resolve()
        })
      })
      const answer = await fetch(`${server.redirectUri}?state=s&code=c1`)
      expect(answer.status).toBe(200)
      expect(await answer.text()).toContain('Sign-in received')
      const second = await fetch(`${server.redirectUri}?state=s&code=c2`)
      expect(await second.text()).toContain('Already received')
      expect((await server.answer).get('code')).toBe('c1')
    } finally {
      server.close()
    }
  })

  it('refuses an answer with a wrong or no state (400), and keeps waiting for the right one', async () => {
    let foreign = 0
    const server = await startLoopbackServer({
      expectedState: 'right',
      onForeignAnswer: () => {
        foreign += 1
      },
    })
    let settled = false
    void server.answer.then(() => {
      settled = true
    })
    try {
      const forged = await fetch(`${server.redirectUri}?state=wrong&code=forged`)
      expect(forged.status).toBe(400)
      expect(await forged.text()).toContain('does not belong to the sign-in chat-role is waiting for')
      // A forged refusal must not end the sign-in either, nor may an answer without a state.
      expect((await fetch(`${server.redirectUri}?state=wrong&error=access_denied`)).status).toBe(400)
      expect((await fetch(`${server.redirectUri}?code=stateless`)).status).toBe(400)
      expect(foreign).toBe(3)
      // The server settles before it answers, so had it taken a forged answer, `settled` would be true by now.
      expect(settled).toBe(false)
      const right = await fetch(`${server.redirectUri}?state=right&code=real`)
      expect(right.status).toBe(200)
      expect(await right.text()).toContain('Sign-in received')
      expect((await server.answer).get('code')).toBe('real')
    } finally {
      server.close()
    }
  })

  it('reports a busy port as a usage error instead of crashing', async () => {
    const blocker = createServer()
    await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as { port: number }).port
    try {
      const error = await rejectionOf(startLoopbackServer({ port, expectedState: 's' }))
      expect(error.message).toBe(
        `port ${port} on 127.0.0.1 is busy, so the sign-in cannot receive Google's answer there`,
      )
      expect(error.exitCode).toBe(2)
    } finally {
      blocker.close()
    }
  })
})

describe('browser', () => {
  const url = 'https://accounts.google.com/o/oauth2/v2/auth?a=1&b=2'

  it('honours BROWSER (a list, %s or the URL last), then the platform opener', () => {
    expect(browserCommands(url, { BROWSER: 'firefox' }, 'linux')).toEqual([{ command: 'firefox', args: [url] }])
    expect(browserCommands(url, { BROWSER: 'node /x/fake.js:w3m %s --dump' }, 'linux')).toEqual([
      { command: 'node', args: ['/x/fake.js', url] },
      { command: 'w3m', args: [url, '--dump'] },
    ])
    expect(browserCommands(url, { BROWSER: 'open' }, 'darwin')).toEqual([{ command: 'open', args: [url] }])
    expect(browserCommands(url, {}, 'linux')).toEqual([{ command: 'xdg-open', args: [url] }])
    expect(browserCommands(url, {}, 'darwin')).toEqual([{ command: 'open', args: [url] }])
    expect(browserCommands(url, {}, 'win32')).toEqual([
      { command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] },
    ])
  })

  it('treats a missing browser as not opened, never as a crash', async () => {
    const result = await openBrowser(url, { BROWSER: '/nonexistent/browser:/also/missing' })
    expect(result).toEqual({ opened: false, detail: '/nonexistent/browser: ENOENT; /also/missing: ENOENT' })
  })

  it('starts the browser detached with the URL, and reports a failing one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chat-role-browser-'))
    const script = join(dir, 'browser.mjs')
    const seen = join(dir, 'seen.txt')
    writeFileSync(
      script,
      `import { writeFileSync } from 'node:fs'\nwriteFileSync(${JSON.stringify(seen)}, process.argv[2])\nprocess.exit(3)\n`,
    )
    const failures: string[] = []
    const result = await openBrowser(url, { BROWSER: `${process.execPath} ${script}` }, detail => failures.push(detail))
    expect(result.opened).toBe(true)
    for (let i = 0; i < 100 && failures.length === 0; i++) await delay(20)
    expect(readFileSync(seen, 'utf8')).toBe(url)
    expect(failures).toEqual([`${process.execPath} exited with code 3`])
  })
})
