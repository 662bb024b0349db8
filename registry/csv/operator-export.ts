/** Exporting operators as CSV lines, streamed: deep paging over the engine, never all in memory. */
import type { OperatorRepository } from '../operators/operator.repository.js';
import type { JurisdictionRef } from '../types.js';
import { csvLine } from './csv-read.js';
import { OPERATOR_COLUMNS, operatorLine } from './operator-csv.js';

/** The header line, then one line per operator inside `scope`, by id. */
export async function* exportOperatorsCsv(
  operators: OperatorRepository,
  scope: JurisdictionRef,
): AsyncGenerator<string, void, undefined> {
  yield csvLine(OPERATOR_COLUMNS);
  for await (const operator of operators.scan(scope)) yield operatorLine(operator);
}
