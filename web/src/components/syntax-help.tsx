import syntaxDoc from '../../../docs/query-syntax.md?raw';
import { useI18n } from '../i18n/i18n';

/** The query syntax cheat sheet, with the full docs/query-syntax.md a click away. */
export function SyntaxHelp() {
  const { t } = useI18n();
  return (
    <details className="syntax-help">
      <summary>{t('search.syntax')}</summary>
      <div className="syntax-body" role="region" aria-label={t('search.syntaxTitle')}>
        <p>{t('search.syntaxSummary')}</p>
        <details>
          <summary>{t('search.syntaxFull')}</summary>
          <pre className="doc">{syntaxDoc}</pre>
        </details>
      </div>
    </details>
  );
}
