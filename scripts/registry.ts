/**
 * `npm run registry -- <command>`: the bureau's registry from the shell.
 *   import-tree tree.csv            all-or-nothing; prints the report (row, column, reason) on failure
 *   import-operators operators.csv  same
 *   export-operators [--scope id] > operators.csv
 *   export-tree [--scope id] > tree.csv
 *   add-user --username u --name n --role inspector --scope 330106-01 --password-stdin < pw.txt
 *   import-demo                     the demo web's tree, operators and staff (see registry/demo-registry.ts)
 * Exit code 1 when an import is refused, 2 on any other error.
 */
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { Command } from 'commander';
import { config } from '../core/config.js';
import { errorCode, ValidationError } from '../core/errors.js';
import { generateDemoWeb } from '../demo/index.js';
import { createEngine, type EnginePort } from '../engine/index.js';
import {
  entitiesDefinition,
  jurisdictionsDefinition,
  operatorHistoryDefinition,
  usersDefinition,
} from '../mappings/index.js';
import { migrate } from '../mappings/migrate.js';
import {
  exportOperatorsCsv,
  exportTreeCsv,
  importOperatorsCsv,
  importTreeCsv,
  type CsvProblem,
} from '../registry/csv/index.js';
import { importDemoRegistry } from '../registry/demo-registry.js';
import { JurisdictionTree } from '../registry/jurisdictions/jurisdiction-tree.js';
import { OperatorRepository } from '../registry/operators/operator.repository.js';
import type { JurisdictionRef, Role } from '../registry/types.js';
import { UserRepository } from '../registry/users/user.repository.js';

const REGISTRY_DEFINITIONS = [
  entitiesDefinition,
  operatorHistoryDefinition,
  jurisdictionsDefinition,
  usersDefinition,
];

interface Registry {
  engine: EnginePort;
  prefix: string;
  tree: JurisdictionTree;
  users: UserRepository;
  operators: OperatorRepository;
}

async function withRegistry(prefix: string, body: (registry: Registry) => Promise<number>): Promise<void> {
  const engine = await createEngine();
  try {
    await migrate(engine, { prefix, definitions: REGISTRY_DEFINITIONS });
    const tree = new JurisdictionTree(engine, { prefix });
    const users = new UserRepository(engine, tree, { prefix });
    const operators = new OperatorRepository(engine, { prefix, tree, users });
    process.exitCode = await body({ engine, prefix, tree, users, operators });
  } finally {
    await engine.close();
  }
}

async function writeLines(lines: AsyncIterable<string>): Promise<number> {
  for await (const line of lines) {
    if (!process.stdout.write(line)) await once(process.stdout, 'drain');
  }
  return 0;
}

function printReport(result: { ok: true } | { ok: false; problems: CsvProblem[] }, what: string): number {
  if (result.ok) {
    console.log(`${what}: ${JSON.stringify(result)}`);
    return 0;
  }
  console.error(`${what} refused, nothing written (${result.problems.length} problems):`);
  for (const p of result.problems)
    console.error(`  row ${p.row}${p.column ? `, column ${p.column}` : ''}: ${p.reason}`);
  return 1;
}

async function scopeRef(registry: Registry, nodeId: string | undefined): Promise<JurisdictionRef> {
  if (nodeId) return registry.tree.refOf(nodeId);
  const [city] = await registry.tree.list({ level: 'city' });
  return city ? { city: city.id } : {};
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.replace(/\r?\n$/, '');
}

interface AddUserOptions {
  username: string;
  name: string;
  role: Role;
  scope?: string;
  email?: string;
  password?: string;
  passwordStdin?: boolean;
}

async function addUser(registry: Registry, options: AddUserOptions): Promise<number> {
  const password = options.passwordStdin ? await readStdin() : options.password;
  if (!password) throw new ValidationError('give --password-stdin (or --password)', { field: 'password' });
  const user = await registry.users.create({
    username: options.username,
    display_name: options.name,
    role: options.role,
    scope_node_id: options.scope ?? null,
    ...(options.email ? { email: options.email } : {}),
    password,
  });
  console.log(`user created: ${JSON.stringify(user)}`);
  return 0;
}

function program(): Command {
  const cli = new Command('registry').description('Jurisdiction tree, operators and users of the bureau');
  cli.option('--prefix <prefix>', 'index prefix', config().INDEX_PREFIX);
  const prefix = () => cli.opts<{ prefix: string }>().prefix;
  cli
    .command('import-tree <file>')
    .action((file: string) =>
      withRegistry(prefix(), async (r) =>
        printReport(await importTreeCsv(createReadStream(file), r.tree), 'import-tree'),
      ),
    );
  cli
    .command('import-operators <file>')
    .option('--actor <id>', 'who imports, for the change history', 'cli')
    .action((file: string, o: { actor: string }) =>
      withRegistry(prefix(), async (r) => {
        const options = { engine: r.engine, prefix: r.prefix, tree: r.tree, users: r.users, actor: o.actor };
        return printReport(await importOperatorsCsv(createReadStream(file), options), 'import-operators');
      }),
    );
  cli
    .command('export-operators')
    .option('--scope <nodeId>', 'only operators under this node')
    .action((o: { scope?: string }) =>
      withRegistry(prefix(), async (r) =>
        writeLines(exportOperatorsCsv(r.operators, await scopeRef(r, o.scope))),
      ),
    );
  cli
    .command('export-tree')
    .option('--scope <nodeId>', 'only this node and what is under it')
    .action((o: { scope?: string }) =>
      withRegistry(prefix(), async (r) =>
        writeLines(exportTreeCsv(r.tree, o.scope ? await r.tree.refOf(o.scope) : undefined)),
      ),
    );
  cli
    .command('add-user')
    .requiredOption('--username <username>')
    .requiredOption('--name <displayName>')
    .requiredOption('--role <role>', 'admin, supervisor, inspector, analyst or public')
    .option('--scope <nodeId>', 'tree node the user is limited to (none for public)')
    .option('--email <email>')
    .option('--password-stdin', 'read the password from standard input')
    .option('--password <password>', 'the password (visible in the process list: prefer --password-stdin)')
    .action((o: AddUserOptions) => withRegistry(prefix(), (r) => addUser(r, o)));
  cli.command('import-demo').action(() =>
    withRegistry(prefix(), async (r) => {
      const cfg = config();
      const web = generateDemoWeb({ seed: cfg.DEMO_SEED, sites: cfg.DEMO_SITES, pages: cfg.DEMO_PAGES });
      const summary = await importDemoRegistry(r.engine, r.prefix, web.truth);
      console.log(`import-demo: ${JSON.stringify(summary)}`);
      return summary.tree.ok && summary.operators.ok ? 0 : 1;
    }),
  );
  return cli;
}

program()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    console.error(
      `registry failed [${errorCode(error)}]: ${error instanceof Error ? error.message : String(error)}`,
    );
    const details = (error as { details?: unknown }).details;
    if (details !== undefined) console.error(JSON.stringify(details));
    process.exitCode = 2;
  });
