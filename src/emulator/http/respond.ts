// Writes a JSON answer the way Google's front end does: pretty-printed unless prettyPrint=false,
// enums as numbers with alt=json;enum-encoding=int, trimmed by `fields`, wrapped for JSONP `callback`.
import type { ServerResponse } from 'node:http'
import { enumsToNumbers } from '../domain/enums.js'
import { applyFieldSelector } from './field-selector.js'
import type { SystemParams } from './query-params.js'

export const DEFAULT_SYSTEM: SystemParams = { enumsAsInt: false, prettyPrint: true }

export function sendJson(
  res: ServerResponse,
  status: number,
  payload: unknown,
  system: SystemParams = DEFAULT_SYSTEM,
  headers: Readonly<Record<string, string>> = {},
): void {
  let value = system.enumsAsInt ? enumsToNumbers(payload) : payload
  // Partial responses apply to results only; errors are always whole.
  if (system.fields !== undefined && status < 300) value = applyFieldSelector(value, system.fields)
  let text = system.prettyPrint ? `${JSON.stringify(value, null, 2)}\n` : JSON.stringify(value)
  let contentType = 'application/json; charset=UTF-8'
  if (system.callback !== undefined) {
    text = `// API callback\n${system.callback}(${text});`
    contentType = 'text/javascript; charset=UTF-8'
  }
  res.writeHead(status, {
    ...headers,
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    Vary: 'Origin, X-Origin, Referer',
  })
  res.end(text)
}
