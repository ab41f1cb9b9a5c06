// The ChatRoleError a call throws or a promise rejects with; anything else fails the test.
import { ChatRoleError } from '../../src/errors.js'

export function thrownBy(run: () => unknown): ChatRoleError {
  try {
    run()
  } catch (error) {
    if (error instanceof ChatRoleError) return error
    throw error
  }
  throw new Error('did not throw')
}

export async function rejectionOf(promise: Promise<unknown>): Promise<ChatRoleError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof ChatRoleError) return error
    throw error
  }
  throw new Error('did not reject')
}
