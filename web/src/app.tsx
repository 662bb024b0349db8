import { NavLink, Route, Routes } from 'react-router';
import { AuthProvider, useAuth } from './auth';
import { useI18n } from './i18n/i18n';
import { AdDetailPage } from './pages/ad-detail.page';
import { AdsPage } from './pages/ads.page';
import { AlertsPage } from './pages/alerts.page';
import { DashboardPage } from './pages/dashboard.page';
import { LoginPage } from './pages/login.page';
import { OperatorDetailPage } from './pages/operator-detail.page';
import { OperatorsPage } from './pages/operators.page';
import { PageDetailPage } from './pages/page-detail.page';
import { RuleEditorPage } from './pages/rule-editor.page';
import { RulesPage } from './pages/rules.page';
import { SearchPage } from './pages/search.page';

export function App() {
  return (
    <AuthProvider>
      <Shell />
    </AuthProvider>
  );
}

function LanguageSwitch() {
  const { t, locale, setLocale } = useI18n();
  return (
    <button
      type="button"
      className="lang-switch"
      aria-label={t('app.switchLanguage')}
      onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}
    >
      {t('app.languageName')}
    </button>
  );
}

function Shell() {
  const { t } = useI18n();
  const { me, logout } = useAuth();
  if (me === undefined) {
    return (
      <div className="notice" role="status">
        {t('app.loading')}
      </div>
    );
  }
  if (me === null) {
    return (
      <div className="login-shell">
        <div className="login-lang">
          <LanguageSwitch />
        </div>
        <LoginPage />
      </div>
    );
  }
  const links = [
    ['/', 'nav.dashboard'],
    ['/search', 'nav.search'],
    ['/ads', 'nav.ads'],
    ['/alerts', 'nav.alerts'],
    ['/rules', 'nav.rules'],
    ['/operators', 'nav.operators'],
  ] as const;
  const who = me.user.display_name ?? me.user.name ?? me.user.username ?? me.user.id;
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">{t('app.name')}</span>
        <nav aria-label={t('nav.label')}>
          {links.map(([to, key]) => (
            <NavLink key={to} to={to} end={to === '/'}>
              {t(key)}
            </NavLink>
          ))}
        </nav>
        <span className="spacer" />
        <span className="who">{t('app.signedInAs', { user: who, role: me.role })}</span>
        <LanguageSwitch />
        <button type="button" onClick={() => void logout()}>
          {t('app.logout')}
        </button>
      </header>
      <main className="content">
        <Routes>
          <Route path="/" element={<DashboardPage />} />
          <Route path="/search" element={<SearchPage />} />
          <Route path="/pages/:id" element={<PageDetailPage />} />
          <Route path="/ads" element={<AdsPage />} />
          <Route path="/ads/:id" element={<AdDetailPage />} />
          <Route path="/alerts" element={<AlertsPage />} />
          <Route path="/rules" element={<RulesPage />} />
          <Route path="/rules/new" element={<RuleEditorPage />} />
          <Route path="/rules/:id" element={<RuleEditorPage />} />
          <Route path="/operators" element={<OperatorsPage />} />
          <Route path="/operators/:id" element={<OperatorDetailPage />} />
          <Route path="*" element={<p>{t('app.notFound')}</p>} />
        </Routes>
      </main>
    </div>
  );
}
