import { CubejsHandlerError } from '../cubePackages.js';
import { isCompileError, isContinueWait, isMemberExpressionRefusal, isQueryLimitRefusal, isUngroupedWithoutKeys, isUserError, warehouseErrorText } from '../engine/upstreamErrors.js';
import { WAREHOUSE_UNREACHABLE, type WarehouseCapabilities } from '../warehouse.js';

/** The warehouse's sentence for an error that says its data is damaged, or null (WarehouseCapabilities). */
type DescribeDamage = WarehouseCapabilities['describeDamage'];

/**
 * What a client is told when the warehouse refuses or fails a query. The driver's own text
 * (DuckDB's "Conversion Error: … LINE 4: SELECT …", Postgres errors naming hosts and
 * columns) stays in the server log under the request id; the answer says whose problem it
 * is and which id to look up.
 */
export function databaseErrorAnswer(text: string, requestId: string, describeDamage: DescribeDamage): { status: number; message: string } {
  const ref = `(request id ${requestId})`;
  const damage = describeDamage(text);
  if (damage) return { status: 500, message: `${damage.replace(/\.$/, '')} ${ref}.` };
  // A filter value the warehouse cannot read as the member's type: the query's fault.
  if (/Conversion Error|Invalid Input Error|Out of Range Error|invalid input syntax|out of range|date\/time field value|invalid input value/i.test(text)) {
    return { status: 400, message: `The query could not be run: a filter or date value does not fit the type of its member ${ref}.` };
  }
  // An operator that does not apply to the member's type (a date range on a boolean, `contains` on a number).
  if (/Cannot compare values of type|No function matches the given name and argument types|operator does not exist|function .* does not exist/i.test(text)) {
    return { status: 400, message: `The query could not be run: a filter operator does not fit the type of its member ${ref}.` };
  }
  if (WAREHOUSE_UNREACHABLE.test(text)) {
    return { status: 503, message: `The warehouse is not reachable right now; try again shortly ${ref}.` };
  }
  if (/timeout|timed out|canceling statement|Interrupted/i.test(text)) {
    return { status: 503, message: `The warehouse did not answer the query in time; try again or narrow the query ${ref}.` };
  }
  return { status: 500, message: `The query could not be run because of a server-side error ${ref}.` };
}

/**
 * The error Cube's gateway is about to answer with, as a client may see it (the gateway's
 * `handleError` is the one place every REST route's errors go through):
 * - warehouse errors (Cube passes them on as `{ error: <driver text> }`, answered 400 with the
 *   SQL), and a damaged DuckDB file however it surfaces, are logged with the request id and
 *   answered by `databaseErrorAnswer`;
 * - other unexpected errors (500 with `e.toString()`) become "Internal server error" with the
 *   request id, except model compile errors, which name model files and members for analysts;
 * - Cube's own validation (UserError), "Continue wait" and our CubejsHandlerErrors pass unchanged.
 */
export function gatewayErrorAnswer(log: (message: string) => void, warehouse: { label: string; describeDamage: DescribeDamage }) {
  const { label, describeDamage } = warehouse;
  return (e: any, requestId: string): unknown => {
    const driverText = warehouseErrorText(e) ?? (e instanceof Error && describeDamage(e.message) ? e.message : null);
    if (driverText !== null) {
      log(describeDamage(driverText) ? `[query ${requestId}] warehouse ${label} is damaged: ${driverText}` : `[query ${requestId}] warehouse error: ${driverText}`);
      const { status, message } = databaseErrorAnswer(driverText, requestId, describeDamage);
      return new CubejsHandlerError(status, status === 400 ? 'Bad Request' : 'Query Failed', message);
    }
    // Cube's own refusals of a query, thrown as plain Errors.
    if (isQueryLimitRefusal(e)) {
      return new CubejsHandlerError(400, 'Bad Request', `"limit" is above this server's ceiling of ${Number(process.env.CUBEJS_DB_QUERY_LIMIT).toLocaleString('en-US')} rows.`);
    }
    if (isMemberExpressionRefusal(e)) {
      return new CubejsHandlerError(400, 'Bad Request', 'Member expressions are not accepted: name members as view.member, as /meta lists them.');
    }
    // Cube names the underlying cubes' keys, which the views keep private.
    if (isUngroupedWithoutKeys(e)) {
      return new CubejsHandlerError(
        400,
        'Bad Request',
        'An ungrouped (row-level) query must include, among its dimensions, the members that identify each row (such as a member or order number where the view lists one); ask a grouped query instead.',
      );
    }
    const expected = e instanceof CubejsHandlerError || isUserError(e) || isContinueWait(e);
    if (!expected && !isCompileError(e)) {
      log(`[query ${requestId}] ${e?.stack ?? e}`);
      return new CubejsHandlerError(500, 'Internal Server Error', `Internal server error (request id ${requestId}).`);
    }
    return e;
  };
}
