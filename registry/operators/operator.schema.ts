/**
 * What an operator record may hold, as one zod schema shared by the repository, the CSV import and the
 * API: identifiers normalised (USCC upper-case with its check digit verified, hosts lower-case ASCII),
 * and defaults that follow the operator's type (platforms and providers are "source" operators,
 * inspected daily).
 */
import { randomUUID } from 'node:crypto';
import { domainToASCII } from 'node:url';
import { getDomain } from 'tldts';
import { z } from 'zod';
import { isValidUscc } from '../../indexer/extract/index.js';
import { normaliseUscc } from '../../indexer/extract/uscc.js';
import type { Doc } from '../../engine/port.js';
import type { Operator, OperatorStatus, OperatorType, RiskTier } from '../types.js';

export const OPERATOR_TYPES: readonly OperatorType[] = [
  'platform',
  'third_party_shop',
  'self_run_site',
  'service_provider',
  'access_provider',
];
export const RISK_TIERS: readonly RiskTier[] = ['high', 'medium', 'low'];
export const OPERATOR_STATUSES: readonly OperatorStatus[] = [
  'active',
  'suspended',
  'deregistered',
  'candidate',
];

/** Types watched as "source" operators unless said otherwise. */
const SOURCE_TYPES: ReadonlySet<OperatorType> = new Set(['platform', 'service_provider', 'access_provider']);

/** Inspection frequency when none is given: source daily, low risk monthly, otherwise weekly. */
export function defaultFrequencyDays(sourceFocus: boolean, risk: RiskTier): number {
  if (sourceFocus) return 1;
  return risk === 'low' ? 30 : 7;
}

export const OPERATOR_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const HOST_PATTERN =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** `Shop.Example.COM.` or `https://例子.测试/x` → `shop.example.com`, `xn--fsqu00a.xn--0zwm56d`; '' if not a host. */
export function normaliseHost(value: string): string {
  let host = value.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) {
    try {
      host = new URL(host).hostname;
    } catch {
      return '';
    }
  }
  host = domainToASCII(host.replace(/\.$/, '').toLowerCase());
  return HOST_PATTERN.test(host) ? host : '';
}

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) =>
  z
    .preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v), text(max).nullable())
    .default(null);
const list = (item: z.ZodType<string>) => z.array(item).max(200).default([]);

const usccField = z.preprocess(
  (v) => (typeof v === 'string' ? (v.trim() === '' ? null : normaliseUscc(v)) : v),
  z
    .string()
    .refine(isValidUscc, {
      message:
        'not a valid unified social credit code: 18 characters whose check digit holds (GB 32100-2015)',
    })
    .nullable()
    .default(null),
);

const hostField = z
  .string()
  .transform(normaliseHost)
  .refine((h) => h !== '', { message: 'not a host name such as shop.example.com.cn' });

const urlField = z.url({ protocol: /^https?$/ }).max(2048);

const refSchema = z
  .object({
    city: text(64).optional(),
    county: text(64).optional(),
    station: text(64).optional(),
    grid: text(64).optional(),
  })
  .strict();

const contactSchema = z
  .object({
    person: text(100).optional(),
    phone: text(50).optional(),
    email: z.email().optional(),
  })
  .strict();

/** Every writable field of an operator; `id` is generated when absent. */
export const operatorInputSchema = z
  .object({
    id: z.string().regex(OPERATOR_ID_PATTERN, 'letters, digits and _ . : - (at most 128)').optional(),
    name: text(300),
    uscc: usccField,
    licence_numbers: list(text(100)),
    icp_numbers: list(text(100)),
    domains: list(hostField),
    shop_urls: list(urlField),
    platform_id: optionalText(128),
    type: z.enum(OPERATOR_TYPES as [OperatorType, ...OperatorType[]]),
    classification: text(50).optional(),
    risk_tier: z.enum(RISK_TIERS as [RiskTier, ...RiskTier[]]).default('medium'),
    status: z.enum(OPERATOR_STATUSES as [OperatorStatus, ...OperatorStatus[]]).default('active'),
    contact: contactSchema.default({}),
    address: optionalText(500),
    district: z.preprocess(
      (v) => (v === '' ? null : v),
      z
        .string()
        .regex(/^\d{6}$/, 'a 6-digit administrative division code')
        .nullable()
        .default(null),
    ),
    jurisdiction: refSchema.default({}),
    inspector_id: optionalText(64),
    inspection_frequency_days: z.number().int().min(1).max(366).optional(),
    source_focus: z.boolean().optional(),
    notes: optionalText(5000),
  })
  .strict();

/** What callers pass to create an operator (defaults fill the rest). */
export type OperatorInput = z.input<typeof operatorInputSchema>;

/** Fields a caller may change; `id`, `created_at`, `updated_at` and `uscc_valid` are the store's. */
export const operatorPatchSchema = operatorInputSchema.omit({ id: true }).partial().strict();
export type OperatorPatch = z.input<typeof operatorPatchSchema>;

const unique = (values: string[]): string[] => [...new Set(values)];

/** A parsed input as a full operator record (timestamps from `now`, the id from the input or new). */
export function toOperator(
  input: z.output<typeof operatorInputSchema>,
  now: string,
  createdAt: string = now,
): Operator {
  const sourceFocus = input.source_focus ?? SOURCE_TYPES.has(input.type);
  return {
    id: input.id ?? randomUUID(),
    name: input.name,
    uscc: input.uscc,
    uscc_valid: input.uscc === null ? null : true,
    licence_numbers: unique(input.licence_numbers),
    icp_numbers: unique(input.icp_numbers),
    domains: unique(input.domains),
    shop_urls: unique(input.shop_urls),
    platform_id: input.platform_id,
    type: input.type,
    classification: input.classification ?? (sourceFocus ? 'source' : 'normal'),
    risk_tier: input.risk_tier,
    status: input.status,
    contact: input.contact,
    address: input.address,
    district: input.district,
    jurisdiction: input.jurisdiction,
    inspector_id: input.inspector_id,
    inspection_frequency_days:
      input.inspection_frequency_days ?? defaultFrequencyDays(sourceFocus, input.risk_tier),
    source_focus: sourceFocus,
    notes: input.notes,
    created_at: createdAt,
    updated_at: now,
  };
}

/** The engine document: the operator plus the registered domains of its hosts, for linking. */
export function toOperatorDoc(operator: Operator): Doc {
  const registered = operator.domains.map((host) => getDomain(host) ?? host);
  return { ...operator, registered_domains: unique(registered) };
}

/** Fields of `Operator`, in a stable order (CSV columns, diffs). */
export const OPERATOR_FIELDS = [
  'id',
  'name',
  'uscc',
  'uscc_valid',
  'licence_numbers',
  'icp_numbers',
  'domains',
  'shop_urls',
  'platform_id',
  'type',
  'classification',
  'risk_tier',
  'status',
  'contact',
  'address',
  'district',
  'jurisdiction',
  'inspector_id',
  'inspection_frequency_days',
  'source_focus',
  'notes',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof Operator)[];

/** The operator part of a stored document (drops derived fields such as `registered_domains`). */
export function fromOperatorDoc(doc: Doc): Operator {
  const operator: Record<string, unknown> = {};
  for (const field of OPERATOR_FIELDS) operator[field] = doc[field] ?? null;
  return operator as unknown as Operator;
}

/** The input fields of a stored operator, to re-validate it with a patch applied. */
export function toInput(operator: Operator): OperatorInput {
  const input: Record<string, unknown> = { ...operator };
  for (const field of ['uscc_valid', 'created_at', 'updated_at']) delete input[field];
  return input as OperatorInput;
}
