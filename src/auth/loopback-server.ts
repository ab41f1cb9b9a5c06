// The one-shot HTTP server on 127.0.0.1 that receives Google's redirect after consent. It never dies
// of a stray request (a favicon, a port probe, a reload): those get a 404 and the server keeps waiting.
// Any local process can reach the port, so an answer counts only when it carries this sign-in's `state`;
// one without it gets a 400 page and changes nothing. Only the first answer with the right state counts;
// closing is the caller's job (and always safe).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { ChatRoleError } from '../errors.js'
import { belongsToSignIn } from './authorization-response.js'

export interface LoopbackServer {
  /** `http://127.0.0.1:PORT/`: the redirect_uri of this sign-in. */
  readonly redirectUri: string
  /** Resolves with the query of the first answer that carries the expected state. Never rejects. */
  readonly answer: Promise<URLSearchParams>
  close(): void
}

export interface LoopbackOptions {
  /** 0 (the default): any free port. */
  readonly port?: number
  /** The `state` sent to Google; answers without it are refused. */
  readonly expectedState: string
  /** Called for each refused answer (a wrong or missing state), for a warning. */
  readonly onForeignAnswer?: () => void
}

const HOST = '127.0.0.1'

const PAGE = (title: string, text: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body style="font-family:system-ui,sans-serif;margin:3em"><h1>${title}</h1><p>${text}</p></body></html>\n`

export async function startLoopbackServer(options: LoopbackOptions): Promise<LoopbackServer> {
  const { port = 0, expectedState, onForeignAnswer } = options
  let settle: (params: URLSearchParams) => void = () => undefined
  const answer = new Promise<URLSearchParams>(resolve => {
    settle = resolve
  })
  let answered = false
  const sockets = new Set<Socket>()

  const server = createServer((req, res) => {
    handle(req, res)
  })
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', `http://${HOST}`)
    const isAnswer =
      (req.method === 'GET' || req.method === 'HEAD') &&
      url.pathname === '/' &&
      (url.searchParams.has('code') || url.searchParams.has('error'))
    res.setHeader('connection', 'close')
    res.setHeader('cache-control', 'no-store')
    res.setHeader('referrer-policy', 'no-referrer')
    if (!isAnswer) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n')
      return
    }
    if (!belongsToSignIn(url.searchParams, expectedState)) {
      const page = PAGE(
        'Not this sign-in',
        'This answer does not belong to the sign-in chat-role is waiting for, so it was ignored. ' +
          'Use the newest address chat-role printed.',
      )
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' }).end(req.method === 'HEAD' ? undefined : page)
      onForeignAnswer?.()
      return
    }
    const first = !answered
    answered = true
    const failed = url.searchParams.has('error')
    const page = !first
      ? PAGE('Already received', 'chat-role already has an answer for this sign-in. You can close this tab.')
      : failed
        ? PAGE('Sign-in not completed', 'Return to the terminal to see why. You can close this tab.')
        : PAGE(
            'Sign-in received',
            'Return to the terminal: chat-role is finishing the sign-in. You can close this tab.',
          )
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(req.method === 'HEAD' ? undefined : page)
    if (first) settle(url.searchParams)
  }
  server.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  // A malformed request or a reset connection must not become an uncaught 'error'.
  server.on('clientError', (_error, socket) => {
    socket.destroy()
  })

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(listenError(error, port))
    }
    server.once('error', onError)
    server.listen({ host: HOST, port, exclusive: true }, () => {
      server.off('error', onError)
      resolve()
    })
  })
  server.on('error', () => undefined)
  const { port: actualPort } = server.address() as AddressInfo

  return {
    redirectUri: `http://${HOST}:${actualPort}/`,
    answer,
    close() {
      server.close()
      // Let the last page reach the browser, then drop anything still open (keep-alive, half-open probes).
      for (const socket of sockets) socket.end()
      setTimeout(() => {
        for (const socket of sockets) socket.destroy()
      }, 200).unref()
    },
  }
}

function listenError(error: NodeJS.ErrnoException, port: number): ChatRoleError {
  if (error.code === 'EADDRINUSE') {
    return new ChatRoleError(
      'USAGE',
      `port ${port} on ${HOST} is busy, so the sign-in cannot receive Google's answer there`,
      {
        hint: 'choose another with --port, or leave --port out to use any free port',
      },
    )
  }
  if (error.code === 'EACCES') {
    return new ChatRoleError('USAGE', `not allowed to listen on port ${port} of ${HOST}`, {
      hint: 'choose a port above 1023 with --port, or leave --port out',
    })
  }
  return new ChatRoleError(
    'INTERNAL',
    `cannot listen on ${HOST} for the sign-in answer (${error.code ?? error.message})`,
    { cause: error },
  )
}
