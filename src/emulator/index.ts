// Programmatic API of the Chat API emulator.
export { startEmulator, type Emulator } from './server.js'
export type { EmulatorOptions } from './options.js'
export { demoSeed, DemoSpaces, DemoUsers } from './demo-seed.js'
export { generateSeed, generatedSpaceId, generatedUserId, type GeneratedSeedOptions } from './generated-seed.js'
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
} from './seed.js'
export { DEFAULT_QUOTA_LIMITS, type QuotaLimits } from './quota.js'
export type { RequestLogEntry } from './request-log.js'
export type { StateSnapshot, SpaceSnapshot } from './state-snapshot.js'
export type { MembershipResource, SpaceResource, UserResource } from './resources.js'
export { Scope } from './methods.js'
export type { Directory, Grant, OAuthOptions, OAuthService, Principal, TokenLookup } from './auth-contract.js'
