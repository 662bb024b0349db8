import type { FacetBucket } from '../api/types';
import { bucketKey } from '../api/types';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';

/** Facet groups as checkable buckets; one selected value per facet. */
export function Facets({
  facets,
  selected,
  onToggle,
  labelOf,
}: {
  facets: Record<string, FacetBucket[]> | undefined;
  selected: Record<string, string | undefined>;
  onToggle: (name: string, value: string | undefined) => void;
  /** Display text of a bucket value (e.g. a translated status). */
  labelOf?: (name: string, value: string) => string;
}) {
  const { t, label } = useI18n();
  const entries = Object.entries(facets ?? {}).filter(([, buckets]) => buckets.length > 0);
  if (entries.length === 0) return null;
  return (
    <aside className="facets" aria-label={t('search.facets')}>
      {entries.map(([name, buckets]) => {
        const title = label('search.facet', name);
        return (
          <fieldset key={name} className="facet">
            <legend>{title}</legend>
            <ul>
              {buckets.slice(0, 12).map((bucket) => {
                const value = bucketKey(bucket);
                const checked = selected[name] === value;
                return (
                  <li key={value}>
                    <label>
                      <input
                        type="checkbox"
                        checked={checked}
                        onChange={() => onToggle(name, checked ? undefined : value)}
                      />
                      <span className="facet-value">{labelOf ? labelOf(name, value) : value}</span>
                      <span className="count">{bucket.count}</span>
                    </label>
                  </li>
                );
              })}
            </ul>
          </fieldset>
        );
      })}
    </aside>
  );
}

export function facetTitleKey(name: string): MessageKey {
  return `search.facet.${name}` as MessageKey;
}
