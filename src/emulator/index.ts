// Programmatic API of the Chat API emulator.
export { startEmulator, type Emulator } from './http/server.js'
export type { EmulatorOptions } from './options.js'
export { demoSeed, DemoSpaces, DemoUsers } from './domain/demo-seed.js'
export { generateSeed, generatedSpaceId, generatedUserId, type GeneratedSeedOptions } from './domain/generated-seed.js'
export {
  SeedError,
  parseSeedText,
  validateSeed,
  type Seed,
  type SeedMembership,
  type SeedServiceAccount,
  type SeedSettings,
  type SeedSpace,
  type SeedUser,
  type ValidSeed,
} from './domain/seed.js'
export { DEFAULT_QUOTA_LIMITS, type QuotaLimits } from './limits/quota.js'
export type { RequestLogEntry } from './http/request-log.js'
export type { StateSnapshot, SpaceSnapshot } from './domain/state-snapshot.js'
export type { MembershipResource, SpaceResource, UserResource } from './domain/resources.js'
export { Scope } from './chat-api/methods.js'
export type { Directory, Grant, OAuthOptions, OAuthService, Principal, TokenLookup } from './oauth/contract.js'
