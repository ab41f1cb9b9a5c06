// The Directory the OAuth side reads: a live view of the current state, so a reset with another
// seed is seen at once.
import type { Directory, DirectoryServiceAccount, DirectoryUser } from '../oauth/contract.js'
import type { ChatState } from './state.js'

export function createDirectory(current: () => ChatState): Directory {
  return {
    findUser(idOrEmail: string): DirectoryUser | undefined {
      const key = idOrEmail.startsWith('users/') ? idOrEmail.slice('users/'.length) : idOrEmail
      const state = current()
      return key.includes('@') ? state.usersByEmail.get(key.toLowerCase()) : state.users.get(key)
    },
    findServiceAccount(clientEmail: string): DirectoryServiceAccount | undefined {
      return current().serviceAccounts.get(clientEmail.toLowerCase())
    },
    get defaultCaller(): string {
      return current().seed.defaultCaller
    },
  }
}
