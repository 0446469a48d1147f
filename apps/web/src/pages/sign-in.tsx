import { useEffect, useMemo, useState } from 'react';
import { api, messageOf } from '../api';
import { ErrorMessage, Loading } from '../components/messages';
import { label, useCommon, useWords } from '../i18n';
import { saveSession, type Role, type Session } from '../session';

type SessionInfo = {
  devTokens: boolean;
  oidc: { issuer: string; clientId: string } | null;
  roles: Role[];
  cities: { id: string; name: string; agencies: { id: string; name: string }[]; leaders: string[] }[];
};

const WORDS = {
  vi: {
    title: 'Đăng nhập',
    intro: 'Theo dõi, đôn đốc thực hiện nhiệm vụ của các kế hoạch, chỉ thị.',
    dev: 'Chế độ phát triển: chọn vai trò để đăng nhập (không dùng trong vận hành thật).',
    city: 'Thành phố',
    role: 'Vai trò',
    agency: 'Cơ quan',
    submit: 'Đăng nhập',
    oidc: 'Đăng nhập bằng tài khoản của thành phố',
    nothing: 'Chưa cấu hình cách đăng nhập nào.',
  },
  en: {
    title: 'Sign in',
    intro: 'Follow up the tasks of action plans and directives.',
    dev: 'Development mode: pick a role to sign in as (never in production).',
    city: 'City',
    role: 'Role',
    agency: 'Agency',
    submit: 'Sign in',
    oidc: "Sign in with the city's account",
    nothing: 'No way to sign in is configured.',
  },
};

/** The provider's client (authorization code + PKCE), loaded only where a provider is configured. */
const managerOf = async (oidc: { issuer: string; clientId: string }) => {
  const { UserManager } = await import('oidc-client-ts');
  return new UserManager({
    authority: oidc.issuer,
    client_id: oidc.clientId,
    redirect_uri: `${location.origin}/signin/callback`,
    response_type: 'code',
    scope: 'openid',
  });
};

export const SignIn = ({ onSignedIn }: { onSignedIn: (session: Session) => void }) => {
  const words = useWords(WORDS);
  const common = useCommon();
  const [info, setInfo] = useState<SessionInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [cityId, setCityId] = useState('');
  const [role, setRole] = useState<Role>('office');
  const [agencyId, setAgencyId] = useState('');

  useEffect(() => {
    api<SessionInfo>('/api/v1/session')
      .then((value) => {
        setInfo(value);
        setCityId(value.cities[0]?.id ?? '');
      })
      .catch((failure: unknown) => setError(messageOf(failure)));
  }, []);
  const city = useMemo(() => info?.cities.find((c) => c.id === cityId), [info, cityId]);
  const needsAgency = role === 'agency' || role === 'planning' || role === 'unit';

  const signIn = async (event: React.FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const { token } = await api<{ token: string }>('/api/v1/session/dev-token', {
        method: 'POST',
        body: { cityId, role, agencyId: needsAgency ? agencyId || null : null },
      });
      onSignedIn(saveSession(token));
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  return (
    <main id="main" style={{ maxWidth: 520 }}>
      <h1>Mandate · {words.title}</h1>
      <p>{words.intro}</p>
      <ErrorMessage error={error} />
      {!info && !error && <Loading />}
      {info?.oidc && (
        <p>
          <button className="primary" type="button" onClick={() => void managerOf(info.oidc!).then((manager) => manager.signinRedirect())}>
            {words.oidc}
          </button>
        </p>
      )}
      {info?.devTokens && (
        <form className="card stack" onSubmit={(event) => void signIn(event)} aria-labelledby="dev-title">
          <p id="dev-title" className="muted">
            {words.dev}
          </p>
          <label htmlFor="signin-city">{words.city}</label>
          <select id="signin-city" value={cityId} onChange={(e) => (setCityId(e.target.value), setAgencyId(''))} name="city">
            {info.cities.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          <label htmlFor="signin-role">{words.role}</label>
          <select id="signin-role" value={role} onChange={(e) => setRole(e.target.value as Role)} name="role">
            {info.roles
              .filter((r) => r !== 'operator' && r !== 'integrator')
              .map((r) => (
                <option key={r} value={r}>
                  {label(common, r)}
                </option>
              ))}
          </select>
          {needsAgency && (
            <>
              <label htmlFor="signin-agency">{words.agency}</label>
              <select
                id="signin-agency"
                value={agencyId}
                onChange={(e) => setAgencyId(e.target.value)}
                name="agency"
                required={role === 'agency' || role === 'unit'}
              >
                <option value="">—</option>
                {city?.agencies.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </select>
            </>
          )}
          <button className="primary" type="submit">
            {words.submit}
          </button>
        </form>
      )}
      {info && !info.devTokens && !info.oidc && <p>{words.nothing}</p>}
    </main>
  );
};

/** Where the identity provider sends people back with a code: exchanged for the access token. */
export const SignInCallback = ({ onSignedIn }: { onSignedIn: (session: Session) => void }) => {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<SessionInfo>('/api/v1/session')
      .then(async (info) => {
        if (!info.oidc) throw new Error('No identity provider is configured');
        const user = await (await managerOf(info.oidc)).signinRedirectCallback();
        onSignedIn(saveSession(user.access_token));
      })
      .catch((failure: unknown) => setError(messageOf(failure)));
    // Once: a code is exchanged only once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return <main id="main">{error ? <p className="error">{error}</p> : <p className="muted">…</p>}</main>;
};
