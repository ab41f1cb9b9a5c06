// Service-account keys: the emulator issues Google Cloud-shaped JSON key files and keeps the public
// halves to verify the RS256 assertions (JWT bearer grants) signed with them.
import { createHash, createPublicKey, generateKeyPair, randomBytes, verify, type KeyObject } from 'node:crypto'
import type { DirectoryServiceAccount } from './contract.js'

/** A key file exactly as `gcloud iam service-accounts keys create` writes it. */
export interface ServiceAccountKeyFile {
  readonly type: 'service_account'
  readonly project_id: string
  readonly private_key_id: string
  readonly private_key: string
  readonly client_email: string
  readonly client_id: string
  readonly auth_uri: string
  readonly token_uri: string
  readonly auth_provider_x509_cert_url: string
  readonly client_x509_cert_url: string
  readonly universe_domain: 'googleapis.com'
}

export interface JwsParts {
  readonly header: Readonly<Record<string, unknown>>
  readonly claims: Readonly<Record<string, unknown>>
  readonly signingInput: string
  readonly signature: Buffer
}

export interface ServiceAccountKeys {
  create(account: DirectoryServiceAccount): Promise<ServiceAccountKeyFile>
  /** Whether the assertion's RS256 signature verifies with a key issued to `clientEmail`. */
  verifies(jws: JwsParts, clientEmail: string): boolean
  reset(): void
}

const FALLBACK_PROJECT = 'chat-role-emulator'

/** `name@project.iam.gserviceaccount.com` → `project`. */
export function projectOf(clientEmail: string): string {
  const match = /^[^@]+@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/.exec(clientEmail)
  return match?.[1] ?? FALLBACK_PROJECT
}

/** A service account's OAuth client id: 21 digits, stable for the account, like Google's. */
export function serviceAccountClientId(clientEmail: string): string {
  const digest = createHash('sha256').update(clientEmail.toLowerCase()).digest()
  const value = digest.readBigUInt64BE(0) * 10_000n + BigInt(digest.readUInt16BE(8))
  return `1${(value % 10n ** 20n).toString().padStart(20, '0')}`
}

/** Splits a compact JWS; undefined when it is not three base64url parts with JSON header and claims. */
export function parseJws(assertion: string): JwsParts | undefined {
  const parts = assertion.split('.')
  if (parts.length !== 3) return undefined
  const [header, claims, signature] = parts as [string, string, string]
  const decodedHeader = decodeJsonPart(header)
  const decodedClaims = decodeJsonPart(claims)
  if (!decodedHeader || !decodedClaims || !/^[A-Za-z0-9_-]+$/.test(signature)) return undefined
  return {
    header: decodedHeader,
    claims: decodedClaims,
    signingInput: `${header}.${claims}`,
    signature: Buffer.from(signature, 'base64url'),
  }
}

function decodeJsonPart(part: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) return undefined
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

function generateRsaKeyPair(): Promise<{ publicKey: string; privateKey: string }> {
  return new Promise((resolve, reject) => {
    generateKeyPair(
      'rsa',
      {
        modulusLength: 2048,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      },
      (error, publicKey, privateKey) => {
        if (error) reject(error)
        else resolve({ publicKey, privateKey })
      },
    )
  })
}

export function createServiceAccountKeys(): ServiceAccountKeys {
  /** client email (lower case) → key id → public key */
  let keys = new Map<string, Map<string, KeyObject>>()

  return {
    async create(account) {
      const issuedTo = keys
      const { publicKey, privateKey } = await generateRsaKeyPair()
      const privateKeyId = randomBytes(20).toString('hex')
      // A reset() while the key was being generated forgets it too.
      if (issuedTo === keys) {
        const email = account.clientEmail.toLowerCase()
        const accountKeys = keys.get(email) ?? new Map<string, KeyObject>()
        accountKeys.set(privateKeyId, createPublicKey(publicKey))
        keys.set(email, accountKeys)
      }
      return {
        type: 'service_account',
        project_id: projectOf(account.clientEmail),
        private_key_id: privateKeyId,
        private_key: privateKey,
        client_email: account.clientEmail,
        client_id: serviceAccountClientId(account.clientEmail),
        auth_uri: 'https://accounts.google.com/o/oauth2/auth',
        token_uri: 'https://oauth2.googleapis.com/token',
        auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
        client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(account.clientEmail)}`,
        universe_domain: 'googleapis.com',
      }
    },

    verifies(jws, clientEmail) {
      if (jws.header.alg !== 'RS256') return false
      const accountKeys = keys.get(clientEmail.toLowerCase())
      if (!accountKeys) return false
      // gtoken sends no `kid`; when one is present only that key may verify.
      const kid = jws.header.kid
      const candidates =
        typeof kid === 'string' ? [accountKeys.get(kid)].filter(key => key !== undefined) : [...accountKeys.values()]
      const input = Buffer.from(jws.signingInput)
      return candidates.some(key => verify('RSA-SHA256', input, key, jws.signature))
    },

    reset() {
      keys = new Map()
    },
  }
}
