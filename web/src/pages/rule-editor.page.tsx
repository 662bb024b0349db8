import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api, describeError } from '../api/client';
import { field, text, type Doc } from '../api/types';
import { AsyncView, useAsync } from '../components/async';
import { BacktestView } from '../components/backtest-view';
import { SyntaxHelp } from '../components/syntax-help';
import { useI18n } from '../i18n/i18n';
import { setRuleEnabled } from './rules.page';

const TARGETS = ['pages', 'ads', 'both'] as const;
const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

interface Form {
  id: string;
  name: string;
  target: string;
  severity: string;
  category: string;
  query: string;
  description: string;
  legal_basis: string;
}

const EMPTY: Form = {
  id: '',
  name: '',
  target: 'pages',
  severity: 'medium',
  category: '',
  query: '',
  description: '',
  legal_basis: '',
};

function formOf(rule: Doc): Form {
  // `query_source` is what the author wrote; `query` is the compiled engine DSL.
  const query = field(rule, 'query_source', 'querySource', 'query');
  return {
    id: text(rule, 'id'),
    name: text(rule, 'name'),
    target: text(rule, 'target') || 'pages',
    severity: text(rule, 'severity') || 'medium',
    category: text(rule, 'category'),
    query: typeof query === 'string' ? query : JSON.stringify(query ?? '', null, 2),
    description: text(rule, 'description'),
    legal_basis: text(rule, 'legal_basis', 'legalBasis'),
  };
}

/** A query-string rule stays text; a JSON object is sent as engine DSL. */
function queryValue(query: string): string | object {
  const trimmed = query.trim();
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(trimmed) as object;
    } catch {
      return trimmed;
    }
  }
  return trimmed;
}

export function RuleEditorPage() {
  const { id } = useParams();
  const isNew = !id;
  const { t, label, formatDate } = useI18n();
  const navigate = useNavigate();
  const rule = useAsync(
    (signal) =>
      id ? api<Doc>(`/api/rules/${encodeURIComponent(id)}`, { signal }) : Promise.resolve({} as Doc),
    [id],
  );
  const history = useAsync(
    (signal) =>
      id
        ? api<unknown>(`/api/rules/${encodeURIComponent(id)}/versions`, { signal }).then((d) =>
            Array.isArray(d) ? (d as Doc[]) : (field<Doc[]>(d as Doc, 'versions', 'items') ?? []),
          )
        : Promise.resolve([] as Doc[]),
    [id],
  );
  const [form, setForm] = useState<Form>(EMPTY);
  const [check, setCheck] = useState<{ ok: boolean; text: string }>();
  const [backtest, setBacktest] = useState<Doc>();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (rule.data) setForm(isNew ? EMPTY : formOf(rule.data));
  }, [rule.data, isNew]);

  const set = (name: keyof Form) => (event: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [name]: event.target.value }));

  async function validate() {
    try {
      await api('/api/rules/validate', { body: { query: queryValue(form.query), target: form.target } });
      setCheck({ ok: true, text: t('rules.valid') });
      return true;
    } catch (e) {
      setCheck({ ok: false, text: t('rules.invalid', { message: describeError(e) }) });
      return false;
    }
  }

  async function runBacktest() {
    setBusy(true);
    setBacktest(undefined);
    try {
      const result = await api<Doc>('/api/rules/backtest', {
        body: {
          rule: { ...(form.id ? { id: form.id } : {}), query: queryValue(form.query), target: form.target },
        },
      });
      setBacktest(result);
      setCheck({ ok: true, text: t('rules.valid') });
    } catch (e) {
      setCheck({ ok: false, text: t('rules.invalid', { message: describeError(e) }) });
    } finally {
      setBusy(false);
    }
  }

  async function save() {
    const body = {
      name: form.name,
      target: form.target,
      severity: form.severity,
      category: form.category,
      query: queryValue(form.query),
      ...(form.description ? { description: form.description } : {}),
      ...(form.legal_basis ? { legal_basis: form.legal_basis } : {}),
    };
    try {
      if (isNew) {
        await api('/api/rules', { body: { id: form.id, ...body } });
        setMessage({ ok: true, text: t('rules.saved') });
        void navigate(`/rules/${encodeURIComponent(form.id)}`);
      } else {
        await api(`/api/rules/${encodeURIComponent(form.id)}`, {
          method: 'PATCH',
          body: { ...body, version: field(rule.data, 'version') },
        });
        setMessage({ ok: true, text: t('rules.saved') });
        rule.reload();
        history.reload();
      }
    } catch (e) {
      setMessage({ ok: false, text: describeError(e) });
    }
  }

  async function toggle() {
    try {
      await setRuleEnabled(form.id, field(rule.data, 'enabled') !== true);
      rule.reload();
      history.reload();
    } catch (e) {
      setMessage({ ok: false, text: describeError(e) });
    }
  }

  const enabled = field(rule.data, 'enabled') === true;
  return (
    <section aria-labelledby="rule-title">
      <div className="toolbar">
        <h1 id="rule-title" className="grow">
          {isNew ? t('rules.new') : `${t('rules.edit')}: ${form.name || form.id}`}
        </h1>
        {!isNew && (
          <button type="button" aria-pressed={enabled} onClick={() => void toggle()}>
            {enabled ? t('rules.disable') : t('rules.enable')}
          </button>
        )}
      </div>
      <AsyncView state={rule}>
        {() => (
          <form
            className="card form-grid"
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            <label>
              {t('rules.id')}
              <input
                value={form.id}
                onChange={set('id')}
                readOnly={!isNew}
                required
                pattern="[a-z0-9][a-z0-9_.\-]*"
              />
            </label>
            <label>
              {t('rules.name')}
              <input value={form.name} onChange={set('name')} required />
            </label>
            <label>
              {t('rules.target')}
              <select value={form.target} onChange={set('target')}>
                {TARGETS.map((v) => (
                  <option key={v} value={v}>
                    {label('rules.target', v)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('rules.severity')}
              <select value={form.severity} onChange={set('severity')}>
                {SEVERITIES.map((v) => (
                  <option key={v} value={v}>
                    {label('severity', v)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('rules.category')}
              <input value={form.category} onChange={set('category')} required />
            </label>
            <label>
              {t('rules.legalBasis')}
              <input value={form.legal_basis} onChange={set('legal_basis')} />
            </label>
            <label className="wide">
              {t('rules.query')}
              <textarea
                className="code"
                rows={5}
                value={form.query}
                onChange={(e) => {
                  setCheck(undefined);
                  set('query')(e);
                }}
                required
              />
            </label>
            <div className="wide">
              <SyntaxHelp />
            </div>
            <label className="wide">
              {t('rules.description')}
              <textarea rows={2} value={form.description} onChange={set('description')} />
            </label>
            {check && (
              <p className={`wide notice ${check.ok ? 'notice-ok' : 'notice-error'}`} role="status">
                {check.text}
              </p>
            )}
            {message && (
              <p className={`wide notice ${message.ok ? 'notice-ok' : 'notice-error'}`} role="alert">
                {message.text}
              </p>
            )}
            <div className="wide toolbar">
              <button type="button" onClick={() => void validate()}>
                {t('rules.check')}
              </button>
              <button type="button" disabled={busy || !form.query.trim()} onClick={() => void runBacktest()}>
                {t('rules.backtest')}
              </button>
              <span className="spacer" />
              <button type="submit" className="primary">
                {t('app.save')}
              </button>
            </div>
          </form>
        )}
      </AsyncView>
      {backtest && <BacktestView result={backtest} />}
      {!isNew && (
        <>
          <h2>{t('rules.history')}</h2>
          <AsyncView state={history}>
            {(versions) => (
              <table className="grid">
                <thead>
                  <tr>
                    <th>{t('rules.version')}</th>
                    <th>{t('rules.updatedAt')}</th>
                    <th>{t('operators.changedBy')}</th>
                    <th>{t('rules.query')}</th>
                  </tr>
                </thead>
                <tbody>
                  {versions.map((v, i) => {
                    const q = field(v, 'query_source', 'querySource', 'query');
                    return (
                      <tr key={i}>
                        <td className="num">{text(v, 'version')}</td>
                        <td>{formatDate(field(v, 'updated_at', 'updatedAt', 'at', 'changed_at'))}</td>
                        <td>{text(v, 'actor', 'updated_by', 'owner', 'changed_by')}</td>
                        <td className="code">{typeof q === 'string' ? q : JSON.stringify(q)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
          </AsyncView>
        </>
      )}
    </section>
  );
}
