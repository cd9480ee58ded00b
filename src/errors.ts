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
