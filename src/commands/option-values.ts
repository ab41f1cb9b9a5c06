// Parsers for option values. They throw ChatRoleError('USAGE') themselves, so a bad value is reported in the
// house form (`chat-role: …` / `hint: …`, or the --json document) and never in commander's wording.
import { Option } from 'commander'
import { quoteText } from '../core/membership-name.js'
import { ChatRoleError } from '../errors.js'

/** The long flag of an option, e.g. '--concurrency' from '--concurrency <n>'. */
const flagOf = (option: Option): string => option.long ?? option.flags

/** A whole number from `min` to `max`; `hint` says what to do instead (or where the limits come from). */
export function wholeNumberOption(
  flags: string,
  description: string,
  limits: { readonly min: number; readonly max: number; readonly hint: string },
): Option {
  const option = new Option(flags, description)
  return option.argParser((value: string): number => {
    const parsed = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN
    if (!Number.isSafeInteger(parsed) || parsed < limits.min || parsed > limits.max) {
      throw new ChatRoleError(
        'USAGE',
        `${flagOf(option)} takes a whole number from ${limits.min} to ${limits.max}, not ${quoteText(value)}`,
        { hint: limits.hint },
      )
    }
    return parsed
  })
}

/** One of `choices`; help still shows them as commander's "(choices: …)". */
export function choiceOption(
  flags: string,
  description: string,
  choices: readonly string[],
  hintFor: (value: string) => string,
): Option {
  const option = new Option(flags, description).choices(choices)
  return option.argParser((value: string): string => {
    const choice = choices.find(candidate => candidate === value)
    if (choice === undefined) {
      throw new ChatRoleError('USAGE', `${flagOf(option)} takes ${listOr(choices)}, not ${quoteText(value)}`, {
        hint: hintFor(value),
      })
    }
    return choice
  })
}

function listOr(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words.at(-1) ?? ''}`
}
