import { Link } from 'react-router';
import { field, text, type Doc } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { Highlight } from './highlight';

interface Bucket {
  key: string;
  count: number;
}

function buckets(result: Doc, ...names: string[]): Bucket[] {
  return field<Bucket[]>(result, ...names) ?? [];
}

/** What a rule would have matched: totals, alerts it would raise, known false positives, spread, samples. */
export function BacktestView({ result }: { result: Doc }) {
  const { t } = useI18n();
  const total = Number(field(result, 'total', 'hits') ?? 0);
  const falsePositives = field<Doc>(result, 'falsePositives', 'false_positives');
  const samples = field<Doc[]>(result, 'samples') ?? [];
  return (
    <div className="card" role="region" aria-label={t('rules.backtestResult')}>
      <h2>{t('rules.backtestResult')}</h2>
      <p className="figures">
        <strong>{t('rules.backtestHits', { n: total })}</strong>
        <span>
          {t('rules.backtestAlerts', { n: text(result, 'alertsWouldCreate', 'alerts_would_create') || 0 })}
        </span>
        <span>{t('rules.backtestFalsePositives', { n: text(falsePositives, 'count') || 0 })}</span>
      </p>
      <div className="two-col">
        {(
          [
            ['rules.bySite', buckets(result, 'bySite', 'by_site')],
            ['rules.byDistrict', buckets(result, 'byDistrict', 'by_district')],
          ] as const
        ).map(([key, list]) => (
          <div key={key}>
            <h3>{t(key)}</h3>
            <ul className="plain bars">
              {list.map((b) => (
                <li key={b.key}>
                  <span className="grow">{b.key}</span>
                  <span className="count">{b.count}</span>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
      <h3>{t('rules.samples')}</h3>
      <ol className="hits">
        {samples.map((sample) => {
          const highlight = field<Record<string, string[]>>(sample, 'highlight', 'highlights') ?? {};
          const kind = text(sample, 'kind');
          const id = encodeURIComponent(text(sample, 'id'));
          return (
            <li key={text(sample, 'id')} className="hit">
              <Link to={kind === 'ad' ? `/ads/${id}` : `/pages/${id}`}>
                {text(sample, 'url') || text(sample, 'id')}
              </Link>
              <span className="muted"> {text(sample, 'site')}</span>
              {Object.values(highlight)
                .flat()
                .slice(0, 3)
                .map((fragment, i) => (
                  <p key={i} className="fragment">
                    <Highlight html={fragment} />
                  </p>
                ))}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
