import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { BrowserRouter, Navigate, NavLink, Route, Routes, useNavigate } from 'react-router-dom';
import { whenUnauthorized } from './api';
import { Loading } from './components/messages';
import { label, LangProvider, useCommon, useLang, useWords } from './i18n';
import { clearSession, loadSession, type Role, type Session } from './session';
import { SignIn, SignInCallback } from './pages/sign-in';
import { home, readyScreen, SCREENS, type ScreenName } from './screens';
import { SessionContext } from './session-context';

/** A screen from its own chunk, drawn at once when main.tsx has already loaded it (screens.ts). */
const screen = (name: ScreenName) => {
  const Lazy = lazy(SCREENS[name].load);
  return function Screen() {
    const Ready = readyScreen(name);
    return Ready ? <Ready /> : <Lazy />;
  };
};
const Dashboard = screen('dashboard');
const Plans = screen('plans');
const PlanPage = screen('plan');
const TaskPage = screen('task');
const Inbox = screen('inbox');
const ImportPage = screen('import');
const Reports = screen('reports');
const AuditPage = screen('audit');
const DirectoryPage = screen('directory');

const WORDS = {
  vi: {
    skip: 'Bỏ qua, đến nội dung chính',
    dashboard: 'Tổng quan',
    plans: 'Kế hoạch',
    inbox: 'Nhiệm vụ của tôi',
    import: 'Nhập văn bản',
    reports: 'Báo cáo',
    audit: 'Thanh tra',
    directory: 'Danh bạ',
    signOut: 'Đăng xuất',
    nav: 'Điều hướng chính',
    language: 'English',
  },
  en: {
    skip: 'Skip to main content',
    dashboard: 'Dashboard',
    plans: 'Plans',
    inbox: 'My tasks',
    import: 'Import',
    reports: 'Reports',
    audit: 'Audit',
    directory: 'Directory',
    signOut: 'Sign out',
    nav: 'Main navigation',
    language: 'Tiếng Việt',
  },
};

/** The screens in the main navigation, and which roles have them (the server refuses the rest anyway). */
const NAVIGATION: readonly { screen: ScreenName & keyof (typeof WORDS)['vi']; roles: readonly Role[] }[] = [
  { screen: 'dashboard', roles: ['office', 'planning', 'leader', 'auditor', 'agency', 'unit'] },
  { screen: 'plans', roles: ['office', 'planning', 'leader', 'auditor', 'agency', 'unit'] },
  { screen: 'inbox', roles: ['agency', 'unit'] },
  { screen: 'import', roles: ['office', 'planning', 'unit'] },
  { screen: 'reports', roles: ['office', 'planning', 'agency', 'leader'] },
  { screen: 'audit', roles: ['auditor', 'office'] },
  { screen: 'directory', roles: ['office', 'planning', 'leader', 'auditor'] },
];

const Shell = ({ session, signOut, children }: { session: Session; signOut: () => void; children: ReactNode }) => {
  const words = useWords(WORDS);
  const common = useCommon();
  const { lang, setLang } = useLang();
  const links = NAVIGATION.filter(({ roles }) => roles.includes(session.actor.role)).map(({ screen }) => screen);
  return (
    <>
      <a className="skip" href="#main">
        {words.skip}
      </a>
      <header className="top">
        <span className="brand">Mandate</span>
        <nav aria-label={words.nav}>
          <ul>
            {links.map((screen) => (
              <li key={screen}>
                <NavLink to={SCREENS[screen].path} end={screen === 'dashboard'}>
                  {words[screen]}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span data-testid="who">
            {label(common, session.actor.role)}
            {session.actor.agencyId ? ` · ${session.actor.agencyId}` : ''} · {session.actor.cityId}
          </span>
          <button type="button" onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')} lang={lang === 'vi' ? 'en' : 'vi'}>
            {words.language}
          </button>
          <button type="button" onClick={signOut}>
            {words.signOut}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>{children}</Suspense>
      </main>
    </>
  );
};

const Screens = () => {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const navigate = useNavigate();
  const signOut = () => {
    clearSession();
    setSession(null);
    void navigate('/signin');
  };
  const signedIn = (s: Session) => {
    setSession(s);
    void navigate(home(s.actor.role));
  };
  useEffect(() => whenUnauthorized(signOut));
  if (!session) {
    return (
      <Routes>
        <Route path="/signin/callback" element={<SignInCallback onSignedIn={signedIn} />} />
        <Route path="*" element={<SignIn onSignedIn={signedIn} />} />
      </Routes>
    );
  }
  return (
    <SessionContext.Provider value={{ session, signOut }}>
      <Shell session={session} signOut={signOut}>
        <Routes>
          <Route path={SCREENS.dashboard.path} element={session.actor.role === 'agency' ? <Navigate to={SCREENS.inbox.path} replace /> : <Dashboard />} />
          <Route path={SCREENS.plans.path} element={<Plans />} />
          <Route path={SCREENS.plan.path} element={<PlanPage />} />
          <Route path={SCREENS.task.path} element={<TaskPage />} />
          <Route path={SCREENS.inbox.path} element={<Inbox />} />
          <Route path={SCREENS.import.path} element={<ImportPage />} />
          <Route path={SCREENS.reports.path} element={<Reports />} />
          <Route path={SCREENS.audit.path} element={<AuditPage />} />
          <Route path={SCREENS.directory.path} element={<DirectoryPage />} />
          <Route path="/signin/*" element={<Navigate to={home(session.actor.role)} replace />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </Shell>
    </SessionContext.Provider>
  );
};

export const App = () => (
  <LangProvider>
    <BrowserRouter>
      <Screens />
    </BrowserRouter>
  </LangProvider>
);
