import { lazy, Suspense, useEffect, useState, type ComponentType, type ReactNode } from 'react';
import { BrowserRouter, Navigate, NavLink, Route, Routes, useNavigate } from 'react-router-dom';
import { whenUnauthorized } from './api';
import { Loading } from './components/messages';
import { label, LangProvider, useCommon, useLang, useWords } from './i18n';
import { clearSession, loadSession, type Role, type Session } from './session';
import { SignIn, SignInCallback } from './pages/sign-in';
import { SessionContext } from './session-context';

// Each screen is its own chunk: a phone on a slow line loads the one it opens.
const Dashboard = lazy(() => import('./pages/dashboard'));
const Plans = lazy(() => import('./pages/plans'));

/** Screens whose code is here before React starts (main.tsx fetches the plan page's beside React on a cold load). */
export type ReadyScreens = { plan?: ComponentType };
const ready: ReadyScreens = {};
export const screensReady = (screens: ReadyScreens): void => void Object.assign(ready, screens);

/**
 * A lazy screen, drawn at once when its code is already here: no Suspense fallback, which React 19
 * would keep up for at least 300 ms before showing the screen.
 */
const readyOrLazy = (name: keyof ReadyScreens, load: () => Promise<{ default: ComponentType }>) => {
  const Lazy = lazy(load);
  return function Screen() {
    const Ready = ready[name];
    return Ready ? <Ready /> : <Lazy />;
  };
};
const PlanPage = readyOrLazy('plan', () => import('./pages/plan'));
const TaskPage = lazy(() => import('./pages/task'));
const Inbox = lazy(() => import('./pages/inbox'));
const ImportPage = lazy(() => import('./pages/import'));
const Reports = lazy(() => import('./pages/reports'));
const AuditPage = lazy(() => import('./pages/audit'));


const WORDS = {
  vi: { skip: 'Bỏ qua, đến nội dung chính', dashboard: 'Tổng quan', plans: 'Kế hoạch', inbox: 'Nhiệm vụ của tôi', import: 'Nhập văn bản', reports: 'Báo cáo', audit: 'Thanh tra', signOut: 'Đăng xuất', nav: 'Điều hướng chính', language: 'English' },
  en: { skip: 'Skip to main content', dashboard: 'Dashboard', plans: 'Plans', inbox: 'My tasks', import: 'Import', reports: 'Reports', audit: 'Audit', signOut: 'Sign out', nav: 'Main navigation', language: 'Tiếng Việt' },
};

/** Which screens a role has (the server refuses the rest anyway). */
const SCREENS: Record<keyof (typeof WORDS)['vi'] & string, Role[]> = {
  dashboard: ['office', 'planning', 'leader', 'auditor', 'agency'],
  plans: ['office', 'planning', 'leader', 'auditor', 'agency'],
  inbox: ['agency'],
  import: ['office', 'planning'],
  reports: ['office', 'planning', 'agency', 'leader'],
  audit: ['auditor', 'office'],
  skip: [],
  signOut: [],
  nav: [],
  language: [],
};

const home = (role: Role) => (role === 'agency' ? '/inbox' : '/');

const Shell = ({ session, signOut, children }: { session: Session; signOut: () => void; children: ReactNode }) => {
  const words = useWords(WORDS);
  const common = useCommon();
  const { lang, setLang } = useLang();
  const links = (['dashboard', 'plans', 'inbox', 'import', 'reports', 'audit'] as const).filter((screen) => SCREENS[screen].includes(session.actor.role));
  const paths = { dashboard: '/', plans: '/plans', inbox: '/inbox', import: '/import', reports: '/reports', audit: '/audit' };
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
                <NavLink to={paths[screen]} end={screen === 'dashboard'}>
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
    navigate('/signin');
  };
  useEffect(() => whenUnauthorized(signOut));
  if (!session) {
    return (
      <Routes>
        <Route path="/signin/callback" element={<SignInCallback onSignedIn={(s) => (setSession(s), navigate(home(s.actor.role)))} />} />
        <Route path="*" element={<SignIn onSignedIn={(s) => (setSession(s), navigate(home(s.actor.role)))} />} />
      </Routes>
    );
  }
  return (
    <SessionContext.Provider value={{ session, signOut }}>
      <Shell session={session} signOut={signOut}>
        <Routes>
          <Route path="/" element={session.actor.role === 'agency' ? <Navigate to="/inbox" replace /> : <Dashboard />} />
          <Route path="/plans" element={<Plans />} />
          <Route path="/plans/:planId" element={<PlanPage />} />
          <Route path="/tasks/:taskId" element={<TaskPage />} />
          <Route path="/inbox" element={<Inbox />} />
          <Route path="/import" element={<ImportPage />} />
          <Route path="/reports" element={<Reports />} />
          <Route path="/audit" element={<AuditPage />} />
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
