// Where chat-role keeps what its runs leave behind (journals): the platform's state folder, beside the
// configuration folder of auth/config-paths.ts and resolved the same way.
import { homedir } from 'node:os'
import { posix, win32 } from 'node:path'
import { nonEmpty } from '../auth/config-paths.js'

type Env = Readonly<Record<string, string | undefined>>

/**
 * `$XDG_STATE_HOME/chat-role` when XDG_STATE_HOME is set (any Unix, so scripts and tests can move it);
 * otherwise `~/.local/state/chat-role` on Linux, `~/Library/Application Support/chat-role` on macOS and
 * `%LOCALAPPDATA%\chat-role` on Windows (state stays on the machine; it does not roam).
 */
export function stateDir(env: Env, platform: NodeJS.Platform = process.platform): string {
  const home = nonEmpty(env.HOME) ?? nonEmpty(env.USERPROFILE) ?? homedir()
  if (platform === 'win32') {
    return win32.join(nonEmpty(env.LOCALAPPDATA) ?? win32.join(home, 'AppData', 'Local'), 'chat-role')
  }
  const xdg = nonEmpty(env.XDG_STATE_HOME)
  if (xdg !== undefined) return posix.join(xdg, 'chat-role')
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', 'chat-role')
  return posix.join(home, '.local', 'state', 'chat-role')
}

/** The folder of run journals. */
export function runsDir(env: Env, platform: NodeJS.Platform = process.platform): string {
  return (platform === 'win32' ? win32 : posix).join(stateDir(env, platform), 'runs')
}
