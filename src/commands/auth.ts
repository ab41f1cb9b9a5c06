// `chat-role auth login|status|logout|list`. (Placeholder until the sign-in work lands.)
import type { RegisterCommand } from './context.js'

export const registerAuthCommands: RegisterCommand = () => undefined
