import type { GraphQLFormattedError } from 'graphql';

/** A top-level GraphQL error (queries, subscriptions, a refused request): its
 * `extensions.code` is `code` (UNAUTHENTICATED, FORBIDDEN, INVALID_INPUT, …). */
export class LinliError extends Error {
  readonly code: string;
  readonly errors: readonly GraphQLFormattedError[];
  readonly status: number | undefined;

  constructor(errors: readonly GraphQLFormattedError[], status?: number) {
    super(errors[0]?.message ?? 'GraphQL error');
    this.name = 'LinliError';
    this.errors = errors;
    this.status = status;
    this.code = codeOf(errors[0]) ?? 'INTERNAL';
  }
}

export function codeOf(error: GraphQLFormattedError | undefined): string | undefined {
  const code = error?.extensions?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A mutation payload's expected failure: `code` is the module's enum (typed by the
 * generated payload type, e.g. `BookingErrorCode`). */
export interface PayloadError<Code extends string = string> {
  code: Code;
  field?: readonly string[] | null;
  message: string;
}

/** The payload's errors, or an empty list: `payloadErrors(data.bookAppointment)`. */
export function payloadErrors<P extends { errors: readonly PayloadError[] }>(
  payload: P | null | undefined,
): P['errors'] {
  return payload?.errors ?? [];
}
