/**
 * `npm run migrate [-- --prefix argus]`: creates or updates every Argus index, template and alias, printing
 * one line per index. Safe to run again: a second run reports `unchanged` everywhere.
 */
import { Command } from 'commander';
import { config } from '../core/config.js';
import { errorCode, ValidationError } from '../core/errors.js';
import { createEngine } from '../engine/index.js';
import { INDEX_DEFINITIONS } from '../mappings/index.js';
import { migrate, type IndexMigration } from '../mappings/migrate.js';

interface CliOptions {
  prefix: string;
  only?: string;
}

function line(result: IndexMigration): string {
  const moved = result.previousIndex ? ` (from ${result.previousIndex}, ${result.documents ?? 0} docs)` : '';
  const template = result.templateUpdated ? ' template updated' : '';
  const reason = result.reason ? ` — ${result.reason}` : '';
  return `${result.name.padEnd(14)} ${result.action.padEnd(10)} ${result.alias} -> ${result.index}${moved}${template}${reason}`;
}

async function main(argv: string[]): Promise<void> {
  const program = new Command('migrate')
    .description('Create or update the Argus indices, templates and aliases')
    .option('--prefix <prefix>', 'index prefix', config().INDEX_PREFIX)
    .option('--only <names>', `comma-separated subset of: ${INDEX_DEFINITIONS.map((d) => d.name).join(', ')}`)
    .parse(argv);
  const options = program.opts<CliOptions>();
  const wanted = options.only?.split(',').map((n) => n.trim());
  const definitions = wanted ? INDEX_DEFINITIONS.filter((d) => wanted.includes(d.name)) : INDEX_DEFINITIONS;
  const unknown = wanted?.filter((n) => !INDEX_DEFINITIONS.some((d) => d.name === n)) ?? [];
  if (unknown.length > 0)
    throw new ValidationError(`unknown index name(s): ${unknown.join(', ')}`, { unknown });

  const engine = await createEngine();
  try {
    const report = await migrate(engine, { prefix: options.prefix, definitions });
    for (const result of report.indices) console.log(line(result));
    console.log(report.changed ? 'migrate: done' : 'migrate: nothing to do');
  } finally {
    await engine.close();
  }
}

main(process.argv).catch((error: unknown) => {
  console.error(
    `migrate failed [${errorCode(error)}]: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exitCode = 1;
});
