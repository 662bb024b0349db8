/**
 * `npm run bench:linking [-- --sites 12 --pages 30 --seed 42]`: links every page of the demo web's ground
 * truth to an operator by what the page shows (its identifiers, host and URL), against a registry built
 * from the same ground truth, and prints `name=value` lines: precision and recall with identifiers, and
 * again from host and URL alone (shops on a platform must still link by shop URL), and, unless
 * `--no-extract`, from what the extract stage finds in each page served by a running demo server.
 *
 * The registry holds every site's operator except the lookalikes (impostors are what the lookalike watch
 * and the candidates list find, not registrants); a USCC whose check digit fails is not registered (the
 * registry refuses it). A lookalike page's truth is "no operator": linking it to anyone is a false link.
 */
import { Command } from 'commander';
import { nonNegativeInt } from './support/cli-options.js';
import { generateDemoWeb, type GroundTruth, type PageTruth, type SiteTruth } from '../demo/index.js';
import { normaliseId } from '../indexer/extract/identifiers.js';
import { OperatorIndex } from '../indexer/link/operator-index.js';
import { linkIdentity } from '../indexer/link/operator-linker.js';
import type { LinkableOperator, PageIdentity } from '../indexer/link/link.types.js';
import type { OperatorType } from '../registry/types.js';
import { extractedIdentities } from './support/extracted-identities.js';

const TYPES: Partial<Record<SiteTruth['type'], OperatorType>> = {
  platform: 'platform',
  platform_shop: 'third_party_shop',
  service_provider: 'service_provider',
};

function operatorOf(site: SiteTruth, platformOf: (host: string) => string | null): LinkableOperator {
  const op = site.operator;
  return {
    id: site.id,
    name: op.name,
    uscc: op.uscc && op.uscc_valid ? op.uscc : null,
    licence_numbers: op.licences.map((l) => l.number),
    icp_numbers: op.icp ? [op.icp] : [],
    domains: site.base_path === '' ? [site.host] : [],
    shop_urls: site.base_path === '' ? [] : [`http://${site.host}${site.base_path}`],
    platform_id: site.platform_host ? platformOf(site.platform_host) : null,
    type: TYPES[site.type] ?? 'self_run_site',
    jurisdiction: {},
  };
}

/** What the page shows, in the form the extract stage writes into the page document. */
function identityOf(page: PageTruth, withIdentifiers: boolean): PageIdentity {
  const of = (type: string, valid?: boolean): string[] =>
    page.identifiers
      .filter((i) => i.type === type && (valid === undefined || (i.valid ?? true) === valid))
      .map((i) => normaliseId(i.value));
  return {
    url: `http://${page.host}${page.path}`,
    host: page.host,
    ...(withIdentifiers
      ? {
          identifiers: {
            uscc: of('uscc', true),
            uscc_invalid: of('uscc', false),
            icp: of('icp'),
            licence: of('licence'),
          },
        }
      : {}),
  };
}

interface LinkScore {
  precision: number;
  recall: number;
  linked: number;
  correct: number;
  expected: number;
  wrong: Array<{ url: string; expected: string | null; got: string | null; reason: string }>;
}

function scoreLinking(
  truth: GroundTruth,
  identityOfPage: (page: PageTruth) => PageIdentity | undefined,
): LinkScore {
  const registered = truth.sites.filter((s) => s.type !== 'lookalike');
  const platforms = new Map(registered.filter((s) => s.base_path === '').map((s) => [s.host, s.id]));
  const index = new OperatorIndex(
    registered.map((s) => operatorOf(s, (host) => platforms.get(host) ?? null)),
  );
  const registeredIds = new Set(registered.map((s) => s.id));
  const score: LinkScore = { precision: 0, recall: 0, linked: 0, correct: 0, expected: 0, wrong: [] };
  for (const page of truth.pages) {
    const expected = registeredIds.has(page.site) ? page.site : null;
    const identity = identityOfPage(page);
    if (!identity) continue;
    const link = linkIdentity(index, identity);
    if (expected) score.expected++;
    if (link.operator_id) score.linked++;
    if (link.operator_id && link.operator_id === expected) score.correct++;
    else if (link.operator_id !== expected) {
      score.wrong.push({ url: identity.url ?? '', expected, got: link.operator_id, reason: link.reason });
    }
  }
  score.precision = score.linked === 0 ? 0 : score.correct / score.linked;
  score.recall = score.expected === 0 ? 0 : score.correct / score.expected;
  return score;
}

async function main(): Promise<void> {
  const opts = new Command()
    .option('--sites <n>', 'shops in the demo web', nonNegativeInt, 12)
    .option('--pages <n>', 'pages per shop', nonNegativeInt, 30)
    .option('--seed <n>', 'demo web seed', nonNegativeInt, 42)
    .option('--no-extract', 'skip fetching and extracting the pages from a running demo server')
    .option('--verbose', 'list the wrong links on stderr')
    .parse()
    .opts<{ sites: number; pages: number; seed: number; extract: boolean; verbose?: boolean }>();
  const web = generateDemoWeb({ sites: opts.sites, pages: opts.pages, seed: opts.seed });
  const { truth } = web;
  const full = scoreLinking(truth, (p) => identityOf(p, true));
  const startedAt = performance.now();
  const hostOnly = scoreLinking(truth, (p) => identityOf(p, false));
  const elapsedMs = performance.now() - startedAt;
  const lines: Record<string, string | number> = {
    link_pages: truth.pages.length,
    link_operators: truth.sites.filter((s) => s.type !== 'lookalike').length,
    link_precision: full.precision.toFixed(4),
    link_recall: full.recall.toFixed(4),
    link_wrong: full.wrong.length,
    link_precision_host_only: hostOnly.precision.toFixed(4),
    link_recall_host_only: hostOnly.recall.toFixed(4),
    links_per_sec: Math.round(truth.pages.length / (elapsedMs / 1000)),
  };
  const wrong = [...full.wrong, ...hostOnly.wrong];
  if (opts.extract) {
    const { identities, failed } = await extractedIdentities(web);
    const extracted = scoreLinking(truth, (p) => identities.get(`${p.host}${p.path}`));
    lines.link_precision_extracted = extracted.precision.toFixed(4);
    lines.link_recall_extracted = extracted.recall.toFixed(4);
    lines.link_pages_extract_failed = failed;
    wrong.push(...extracted.wrong);
  }
  for (const [name, value] of Object.entries(lines)) process.stdout.write(`${name}=${value}\n`);
  if (opts.verbose) for (const w of wrong) process.stderr.write(`${JSON.stringify(w)}\n`);
}

await main();
