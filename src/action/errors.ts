/**
 * A problem with what the user wrote in the workflow. Raised before any side effect, and
 * always names the input so the message can be acted on without reading our code.
 */
export class InputError extends Error {
  constructor(
    readonly input: string,
    detail: string,
  ) {
    super(`Input "${input}": ${detail}`)
    this.name = 'InputError'
  }
}

/**
 * The text of anything thrown: its message, or the value itself. Duck-typed rather than
 * `instanceof Error`, so errors from another realm (Node's fs errors under jest's VM modules) keep
 * their message.
 */
export function errorMessage(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message
  return typeof message === 'string' ? message : String(error)
}
