// Opening the consent page in a browser, best effort: BROWSER first (as xdg-open and Python do),
// then the platform's opener. A missing or failing browser is never fatal: the URL is always printed.
import { spawn } from 'node:child_process'

type Env = Readonly<Record<string, string | undefined>>

export interface BrowserCommand {
  readonly command: string
  readonly args: readonly string[]
}

/**
 * The commands to try, in order. BROWSER is a list separated by `:` (`;` on Windows); each entry is a
 * command split at spaces, with `%s` replaced by the URL, or the URL added at the end.
 */
export function browserCommands(url: string, env: Env, platform: NodeJS.Platform = process.platform): BrowserCommand[] {
  const browser = env.BROWSER?.trim()
  if (browser !== undefined && browser !== '') {
    return browser
      .split(platform === 'win32' ? ';' : ':')
      .map(entry =>
        entry
          .trim()
          .split(/\s+/)
          .filter(word => word !== ''),
      )
      .filter(words => words.length > 0)
      .map(([command = '', ...rest]) =>
        rest.some(word => word.includes('%s'))
          ? { command, args: rest.map(word => word.replaceAll('%s', url)) }
          : { command, args: [...rest, url] },
      )
  }
  if (platform === 'darwin') return [{ command: 'open', args: [url] }]
  // rundll32 hands the URL to the default browser without a shell, so `&` in the URL stays intact.
  if (platform === 'win32') return [{ command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] }]
  return [{ command: 'xdg-open', args: [url] }]
}

export interface OpenResult {
  readonly opened: boolean
  /** The command that was started, or why none could be. */
  readonly detail: string
}

/**
 * Starts the first command that exists, detached, without waiting for it. `onFailure` is called if it
 * exits with an error soon after (xdg-open without any browser does).
 */
export async function openBrowser(
  url: string,
  env: Env,
  onFailure: (detail: string) => void = () => undefined,
  platform: NodeJS.Platform = process.platform,
): Promise<OpenResult> {
  const failures: string[] = []
  for (const candidate of browserCommands(url, env, platform)) {
    const started = await start(candidate, env, onFailure)
    if (started === true) return { opened: true, detail: candidate.command }
    failures.push(`${candidate.command}: ${started}`)
  }
  return { opened: false, detail: failures.join('; ') || 'no browser command' }
}

function start(candidate: BrowserCommand, env: Env, onFailure: (detail: string) => void): Promise<true | string> {
  return new Promise(resolve => {
    let child
    try {
      child = spawn(candidate.command, [...candidate.args], { stdio: 'ignore', detached: true, env: { ...env } })
    } catch (error) {
      resolve(error instanceof Error ? error.message : String(error))
      return
    }
    child.once('error', error => {
      resolve((error as NodeJS.ErrnoException).code ?? error.message)
    })
    child.once('spawn', () => {
      child.unref()
      resolve(true)
    })
    child.once('exit', code => {
      if (code !== null && code !== 0) onFailure(`${candidate.command} exited with code ${code}`)
    })
  })
}
