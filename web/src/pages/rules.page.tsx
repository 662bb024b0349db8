import { useState } from 'react';
import { Link } from 'react-router';
import { api, describeError } from '../api/client';
import { field, text, type Doc, type ListPage } from '../api/types';
import { AsyncView, useAsync } from '../components/async';
import { SeverityBadge } from '../components/badges';
import { useI18n } from '../i18n/i18n';

export async function setRuleEnabled(id: string, enabled: boolean): Promise<void> {
  await api(`/api/rules/${encodeURIComponent(id)}/${enabled ? 'enable' : 'disable'}`, { body: {} });
}

export function RulesPage() {
  const { t, label, formatDate } = useI18n();
  const rules = useAsync((signal) => api<ListPage>('/api/rules', { query: { size: 100 }, signal }), []);
  const [message, setMessage] = useState<string>();

  async function toggle(rule: Doc) {
    try {
      await setRuleEnabled(text(rule, 'id'), field(rule, 'enabled') !== true);
      setMessage(undefined);
    } catch (e) {
      setMessage(describeError(e));
    }
    rules.reload();
  }

  return (
    <section aria-labelledby="rules-title">
      <div className="toolbar">
        <h1 id="rules-title" className="grow">
          {t('rules.title')}
        </h1>
        <Link className="button primary" to="/rules/new">
          {t('rules.new')}
        </Link>
      </div>
      {message && (
        <p className="notice notice-error" role="alert">
          {message}
        </p>
      )}
      <AsyncView state={rules}>
        {(page) => (
          <table className="grid">
            <thead>
              <tr>
                <th>{t('rules.name')}</th>
                <th>{t('rules.target')}</th>
                <th>{t('rules.severity')}</th>
                <th>{t('rules.category')}</th>
                <th>{t('rules.version')}</th>
                <th>{t('rules.updatedAt')}</th>
                <th>{t('rules.enabled')}</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((rule) => {
                const id = text(rule, 'id');
                const enabled = field(rule, 'enabled') === true;
                return (
                  <tr key={id}>
                    <td>
                      <Link to={`/rules/${encodeURIComponent(id)}`}>{text(rule, 'name') || id}</Link>
                      <div className="muted small">{id}</div>
                    </td>
                    <td>{label('rules.target', text(rule, 'target'))}</td>
                    <td>
                      <SeverityBadge severity={text(rule, 'severity')} />
                    </td>
                    <td>{text(rule, 'category')}</td>
                    <td className="num">{text(rule, 'version')}</td>
                    <td>{formatDate(field(rule, 'updated_at', 'updatedAt'))}</td>
                    <td>
                      <button
                        type="button"
                        aria-pressed={enabled}
                        aria-label={`${enabled ? t('rules.disable') : t('rules.enable')} ${text(rule, 'name') || id}`}
                        onClick={() => void toggle(rule)}
                      >
                        {enabled ? t('rules.enabled') : t('rules.disabled')}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </AsyncView>
    </section>
  );
}
