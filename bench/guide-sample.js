// Google's guide "Update a user's membership in a Google Chat space", Node.js sample, ported to run
// against the emulator: the same @googleapis/chat call, one membership per process, no retries (the guide
// has none, and the library's default retry leaves PATCH out). Only the sign-in differs: instead of @google-cloud/local-auth's browser flow, an OAuth2Client
// holds the emulator's default-caller token `owner`, and rootUrl points at CHAT_EMULATOR_HOST.
//
//   CHAT_EMULATOR_HOST=127.0.0.1:8085 node bench/guide-sample.js spaces/SPACE/members/MEMBER
import chat from '@googleapis/chat'
import { OAuth2Client } from 'google-auth-library'

/**
 * Updates a membership in a Chat space to change it from
 * a space manager to a space member.
 * @return {!Promise<!Object>}
 */
async function updateSpace() {
  /**
   * Authenticate with Google Workspace
   * and get user authorization.
   */
  const authClient = new OAuth2Client()
  authClient.setCredentials({ access_token: 'owner' })

  /**
   * Build a service endpoint for Chat API.
   */
  const chatClient = await chat.chat({
    version: 'v1',
    auth: authClient,
    rootUrl: `http://${process.env.CHAT_EMULATOR_HOST}/`,
  })

  /**
   * Use the service endpoint to call Chat API.
   */
  return await chatClient.spaces.members.patch({
    /**
     * The membership to update, and the updated role.
     * Replace SPACE with a space name.
     * Obtain the space name from the spaces resource of Chat API,
     * or from a space's URL.
     * Replace MEMBERSHIP with a membership name.
     * Obtain the membership name from the membership of Chat API.
     */
    name: process.argv[2],
    updateMask: 'role',
    requestBody: {
      role: 'ROLE_MEMBER',
    },
  })
}

/**
 * Use the service endpoint to call Chat API.
 */
updateSpace().then(console.log)
