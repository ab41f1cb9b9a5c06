// spaces.get.
import { requireSpace } from './access.js'
import type { HandlerContext } from './handler-context.js'
import { type SpaceResource, renderSpace } from '../domain/resources.js'

export function getSpace(context: HandlerContext): SpaceResource {
  return renderSpace(requireSpace(context.state, context.caller, context.spaceId, context.rules))
}
