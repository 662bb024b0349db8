/** CSV import and export of the jurisdiction tree and of operators, with validation reports. */
export { csvLine, readCsv, splitList, type CsvProblem, type CsvSource } from './csv-read.js';
export { OPERATOR_COLUMNS, operatorLine, parseOperatorRow } from './operator-csv.js';
export { exportOperatorsCsv } from './operator-export.js';
export {
  importOperatorsCsv,
  type OperatorImportOptions,
  type OperatorImportResult,
} from './operator-import.js';
export { exportTreeCsv, importTreeCsv, TREE_COLUMNS, type TreeImportResult } from './tree-csv.js';
