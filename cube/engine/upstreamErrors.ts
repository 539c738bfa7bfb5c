/**
 * Cube's own answers and refusals, recognised by their text: Cube 0.35.81 gives them no type or
 * code. Kept here, beside the other internals the engine relies on, so that an upgrade that
 * rewords one is fixed in one place (test/cube/attacks.test.ts and gateway tests catch it).
 */

/** What /load answers (status 200) while a query is still running: the client asks again. */
export const CONTINUE_WAIT = 'Continue wait';

/** Whether a /load answer (or an error Cube handles) is "Continue wait". */
export function isContinueWait(message: unknown): boolean {
  return (message as { error?: unknown } | null)?.error === CONTINUE_WAIT;
}

/** Cube's validation errors (a malformed query, an unknown member): the caller's fault, passed on. */
export function isUserError(e: unknown): boolean {
  return (e as { type?: unknown } | null)?.type === 'UserError';
}

/** A query whose `limit` is above the process-wide row ceiling (CUBEJS_DB_QUERY_LIMIT). */
export function isQueryLimitRefusal(e: unknown): boolean {
  return e instanceof Error && e.message === 'The query limit has been exceeded.';
}

/** A query that sent member expressions (SQL of its own) in place of member names. */
export function isMemberExpressionRefusal(e: unknown): boolean {
  return e instanceof Error && e.message === 'Expressions are not allowed in this context';
}

/** An ungrouped query without the primary keys of the cubes it reads (Cube's message names them). */
export function isUngroupedWithoutKeys(e: unknown): boolean {
  return isUserError(e) && /^Ungrouped query requires primary keys/.test(String((e as { message?: unknown }).message));
}

/** The model does not compile (Cube's CompileError, or its message). */
export function isCompileError(e: unknown): boolean {
  return e instanceof Error && (e.constructor?.name === 'CompileError' || e.message.startsWith('Compile errors:'));
}

/** The warehouse driver's text of an error Cube passes on as `{ error: <text> }` (not an Error), or null. */
export function warehouseErrorText(e: unknown): string | null {
  if (!e || typeof e !== 'object' || e instanceof Error || isContinueWait(e)) return null;
  const error = (e as { error?: any }).error;
  return error === undefined ? null : String(error?.stack ?? error?.message ?? error);
}
