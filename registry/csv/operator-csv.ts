/**
 * One operator a CSV row: the columns, a row → operator input (lists separated by `;`), an operator →
 * row, and zod field paths → column names for the validation report.
 */
import type { Operator } from '../types.js';
import type { OperatorInput } from '../operators/operator.schema.js';
import { deepestLevel } from '../scope.js';
import { csvLine, splitList } from './csv-read.js';

/** Columns of the operators CSV, in export order. `jurisdiction_id` is the deepest tree node (a grid). */
export const OPERATOR_COLUMNS = [
  'id',
  'name',
  'uscc',
  'licence_numbers',
  'icp_numbers',
  'domains',
  'shop_urls',
  'platform_id',
  'type',
  'classification',
  'risk_tier',
  'status',
  'contact_person',
  'contact_phone',
  'contact_email',
  'address',
  'district',
  'jurisdiction_id',
  'inspector_id',
  'inspection_frequency_days',
  'source_focus',
  'notes',
] as const;

export const REQUIRED_OPERATOR_COLUMNS = ['name', 'type'] as const;

export type OperatorColumn = (typeof OPERATOR_COLUMNS)[number];

/** The row's cells as operator input, plus problems of cells that are not even the right kind. */
export interface ParsedOperatorRow {
  input: OperatorInput;
  /** The tree node named by `jurisdiction_id`, resolved to a ref by the importer. */
  jurisdictionId: string | null;
  problems: Array<{ column: OperatorColumn; reason: string }>;
}

const TRUE = new Set(['true', 'yes', '1', 'y']);
const FALSE = new Set(['false', 'no', '0', 'n']);

export function parseOperatorRow(values: Record<string, string>): ParsedOperatorRow {
  const problems: ParsedOperatorRow['problems'] = [];
  const cell = (column: OperatorColumn) => values[column]?.trim() ?? '';
  const optional = (column: OperatorColumn) => cell(column) || undefined;
  const input: Record<string, unknown> = {
    name: cell('name'),
    uscc: cell('uscc') || null,
    licence_numbers: splitList(cell('licence_numbers')),
    icp_numbers: splitList(cell('icp_numbers')),
    domains: splitList(cell('domains')),
    shop_urls: splitList(cell('shop_urls')),
    platform_id: cell('platform_id') || null,
    type: cell('type'),
    address: cell('address') || null,
    district: cell('district') || null,
    inspector_id: cell('inspector_id') || null,
    notes: cell('notes') || null,
  };
  for (const column of ['id', 'classification', 'risk_tier', 'status'] as const) {
    const value = optional(column);
    if (value !== undefined) input[column] = value;
  }
  const contact: Record<string, string> = {};
  if (cell('contact_person')) contact.person = cell('contact_person');
  if (cell('contact_phone')) contact.phone = cell('contact_phone');
  if (cell('contact_email')) contact.email = cell('contact_email');
  input.contact = contact;
  const frequency = cell('inspection_frequency_days');
  if (frequency !== '') {
    if (/^\d+$/.test(frequency)) input.inspection_frequency_days = Number(frequency);
    else problems.push({ column: 'inspection_frequency_days', reason: 'a whole number of days' });
  }
  const focus = cell('source_focus').toLowerCase();
  if (TRUE.has(focus)) input.source_focus = true;
  else if (FALSE.has(focus)) input.source_focus = false;
  else if (focus !== '') problems.push({ column: 'source_focus', reason: 'true or false' });
  return { input: input as OperatorInput, jurisdictionId: cell('jurisdiction_id') || null, problems };
}

/** The column a zod issue path (`contact.email`, `domains.2`, `jurisdiction.grid`) belongs to. */
export function columnOf(path: string): string {
  const [head, second] = path.split('.');
  if (head === 'contact' && second) return `contact_${second}`;
  if (head === 'jurisdiction') return 'jurisdiction_id';
  return head ?? path;
}

/** The CSV line of one operator, columns as {@link OPERATOR_COLUMNS}. */
export function operatorLine(operator: Operator): string {
  const level = deepestLevel(operator.jurisdiction ?? {});
  const cells: Record<OperatorColumn, string | number | boolean | null> = {
    id: operator.id,
    name: operator.name,
    uscc: operator.uscc,
    licence_numbers: (operator.licence_numbers ?? []).join(';'),
    icp_numbers: (operator.icp_numbers ?? []).join(';'),
    domains: (operator.domains ?? []).join(';'),
    shop_urls: (operator.shop_urls ?? []).join(';'),
    platform_id: operator.platform_id,
    type: operator.type,
    classification: operator.classification,
    risk_tier: operator.risk_tier,
    status: operator.status,
    contact_person: operator.contact?.person ?? null,
    contact_phone: operator.contact?.phone ?? null,
    contact_email: operator.contact?.email ?? null,
    address: operator.address,
    district: operator.district,
    jurisdiction_id: level ? (operator.jurisdiction[level] ?? null) : null,
    inspector_id: operator.inspector_id,
    inspection_frequency_days: operator.inspection_frequency_days,
    source_focus: operator.source_focus,
    notes: operator.notes,
  };
  return csvLine(OPERATOR_COLUMNS.map((column) => cells[column]));
}
