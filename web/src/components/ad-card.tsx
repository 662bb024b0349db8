import { Link } from 'react-router';
import { field, text, type Doc } from '../api/types';
import { useI18n } from '../i18n/i18n';

export function ruleHitsOf(doc: Doc): string[] {
  const hits = field<unknown>(doc, 'rule_hits', 'ruleHits');
  return Array.isArray(hits) ? hits.map(String) : typeof hits === 'string' ? [hits] : [];
}

/** One creative in the gallery: its text, who advertises and where it lands, the rules it hit. */
export function AdCard({ ad }: { ad: Doc }) {
  const { t } = useI18n();
  const id = text(ad, 'id');
  const creative = text(ad, 'creative_text', 'creativeText', 'image_alt') || t('ads.unknown');
  return (
    <article className="ad-card" aria-label={creative}>
      <Link to={`/ads/${encodeURIComponent(id)}`} className="creative">
        {creative}
      </Link>
      <dl className="meta compact">
        <dt>{t('ads.advertiser')}</dt>
        <dd>{text(ad, 'advertiser') || t('ads.unknown')}</dd>
        <dt>{t('ads.landing')}</dt>
        <dd className="url">{text(ad, 'landing_domain', 'landingDomain', 'landing_url')}</dd>
        <dt>{t('ads.category')}</dt>
        <dd>{text(ad, 'category')}</dd>
      </dl>
      <div className="ad-foot">
        <span className="muted">{t('ads.seen', { n: text(ad, 'seen_count', 'seenCount') || 1 })}</span>
        {ruleHitsOf(ad).map((rule) => (
          <Link key={rule} className="badge rule" to={`/rules/${encodeURIComponent(rule)}`}>
            {rule}
          </Link>
        ))}
      </div>
    </article>
  );
}
