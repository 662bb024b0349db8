import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ValidationError } from '../core/errors.js';
import type { GroundTruth } from './types.js';

/** Where the CLI writes the ground truth unless `--out` says otherwise. */
export const DEFAULT_GROUND_TRUTH_PATH = '.argus/demo/ground-truth.json';

const RECORD_ARRAYS = ['sites', 'pages', 'ads', 'negatives', 'special_endpoints'] as const;

/** JSON with one record per line in the big arrays: compact, yet greppable and diffable. */
export function stringifyGroundTruth(truth: GroundTruth): string {
  const lines = ['{'];
  const entries = Object.entries(truth);
  entries.forEach(([key, value], i) => {
    const comma = i < entries.length - 1 ? ',' : '';
    if ((RECORD_ARRAYS as readonly string[]).includes(key) && Array.isArray(value)) {
      const items = value.map((item, j) => `  ${JSON.stringify(item)}${j < value.length - 1 ? ',' : ''}`);
      lines.push(`"${key}": [`, ...items, `]${comma}`);
    } else {
      lines.push(`"${key}": ${JSON.stringify(value)}${comma}`);
    }
  });
  lines.push('}', '');
  return lines.join('\n');
}

/** Writes the ground truth atomically (temp file, then rename), creating the folder. */
export async function writeGroundTruth(
  truth: GroundTruth,
  file: string = DEFAULT_GROUND_TRUTH_PATH,
): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, stringifyGroundTruth(truth), 'utf8');
  await rename(temp, file);
}

/** Reads a ground-truth file written by `writeGroundTruth`. */
export async function loadGroundTruth(file: string = DEFAULT_GROUND_TRUTH_PATH): Promise<GroundTruth> {
  const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<GroundTruth>;
  if (parsed.schema_version !== 1 || !Array.isArray(parsed.pages) || !Array.isArray(parsed.sites)) {
    throw new ValidationError(
      `Not a demo ground-truth file (schema_version 1): ${file}`,
      { file },
      'DEMO_TRUTH_INVALID',
    );
  }
  return parsed as GroundTruth;
}
