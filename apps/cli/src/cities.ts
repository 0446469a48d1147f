import { PLATFORM_CITY } from '@mandate/kernel';
import { signToken } from '@mandate/http';
import { ConfigError, type Config } from '@mandate/runtime';
import { InputError } from './parse';
import { jwtSecret } from './secret';

/** How the `mandate cities …` commands reach a deployment: its URL and an operator's token. */
export type CitiesConnection = { url?: string; token?: string; json?: boolean };

type CityView = {
  id: string;
  name: string;
  level: string;
  timeZone: string;
  dueSoonDays: number;
  reporting: Record<string, unknown>;
  identityProvider: { issuer: string; audience: string } | null;
  status: string;
  version: string;
  changedAt: string;
};

/** The operator's token: the one given, or (outside production) a dev token of the operator. */
const operatorToken = async (config: Config, options: CitiesConnection): Promise<string> => {
  const given = options.token ?? process.env.MANDATE_TOKEN;
  if (given) return given;
  if (config.NODE_ENV === 'production') throw new ConfigError('Set MANDATE_TOKEN (or --token) to a token of the platform operator');
  return signToken(jwtSecret(config), { userId: 'cli-operator', role: 'operator', agencyId: null, cityId: PLATFORM_CITY });
};

/** One call of the cities API; a refusal becomes an InputError (exit status 2) with the API's own words. */
const callApi = async (config: Config, options: CitiesConnection, method: string, route: string, body?: unknown): Promise<Record<string, any>> => {
  const base = options.url ?? process.env.MANDATE_URL ?? `http://127.0.0.1:${config.PORT}`;
  let response: globalThis.Response;
  try {
    response = await fetch(`${base}/api/v1/cities${route}`, {
      method,
      headers: { authorization: `Bearer ${await operatorToken(config, options)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new Error(`cannot reach Mandate at ${base} (${(error as Error).cause ?? (error as Error).message}); start it with "npx mandate start" or pass --url`);
  }
  const answer = (await response.json().catch(() => ({}))) as Record<string, any>;
  if (!response.ok) {
    const message = `${method} /api/v1/cities${route} refused (${response.status}): ${answer.detail ?? response.statusText}`;
    if (response.status < 500) throw new InputError(message);
    throw new Error(message);
  }
  return answer;
};

const line = (city: CityView) =>
  `${city.id.padEnd(24)} ${city.status.padEnd(9)} ${city.level.padEnd(8)} due soon ${String(city.dueSoonDays).padStart(2)} d  v${city.version.padEnd(4)} ${city.name}`;

const print = (options: CitiesConnection, answer: unknown, text: string) =>
  process.stdout.write(options.json ? `${JSON.stringify(answer, null, 2)}\n` : `${text}\n`);

export const listCities = async (config: Config, options: CitiesConnection) => {
  const answer = await callApi(config, options, 'GET', '');
  const cities = answer.cities as CityView[];
  print(options, answer, cities.length ? cities.map(line).join('\n') : '(no city yet: create one with "mandate cities create")');
};

export const showCity = async (config: Config, options: CitiesConnection, cityId: string) => {
  const city = (await callApi(config, options, 'GET', `/${encodeURIComponent(cityId)}`)) as CityView;
  const sso = city.identityProvider ? `its own, ${city.identityProvider.issuer} (client ${city.identityProvider.audience})` : "the deployment's";
  print(
    options,
    city,
    `${line(city)}\n  time zone ${city.timeZone}; reporting calendar ${JSON.stringify(city.reporting)}; identity provider ${sso}; last changed ${city.changedAt}`,
  );
};

export const cityHistory = async (config: Config, options: CitiesConnection, cityId: string) => {
  const answer = await callApi(config, options, 'GET', `/${encodeURIComponent(cityId)}/history`);
  const events = answer.items as { type: string; version: number; occurredAt: string; actor: { userId: string }; data: { reason?: string } }[];
  print(options, answer, events.map((e) => `v${e.version}  ${e.occurredAt}  ${e.type.padEnd(20)} by ${e.actor.userId}: ${e.data.reason ?? ''}`).join('\n'));
};

/** The settings given on the command line, as the API names them (absent ones are not sent). */
export type CitySettingsOptions = {
  name?: string;
  level?: string;
  timeZone?: string;
  dueSoonDays?: number;
  cutoffDay?: number;
  dueDay?: number;
  identityIssuer?: string;
  identityAudience?: string;
  identityJwksUrl?: string;
  identityClaims?: string;
  /** false with --no-identity-provider (commander's negation); true otherwise. */
  identityProvider?: boolean;
};

/** The identity provider the options name: the one given, null to take it away, absent to leave it. */
const identityProviderOf = (options: CitySettingsOptions) => {
  if (options.identityProvider === false) {
    if (options.identityIssuer) throw new InputError('--no-identity-provider and --identity-issuer contradict each other');
    return { identityProvider: null };
  }
  if (!options.identityIssuer) return {};
  const claims = options.identityClaims?.split(',').map((c) => c.trim());
  if (claims && claims.length !== 3) throw new InputError('--identity-claims: three claim names, city,role,agency');
  return {
    identityProvider: {
      issuer: options.identityIssuer,
      audience: options.identityAudience ?? 'mandate',
      ...(options.identityJwksUrl && { jwksUrl: options.identityJwksUrl }),
      ...(claims && { claims: { city: claims[0], role: claims[1], agency: claims[2] } }),
    },
  };
};
const settingsOf = (options: CitySettingsOptions) => ({
  ...(options.name !== undefined && { name: options.name }),
  ...(options.level !== undefined && { level: options.level }),
  ...(options.timeZone !== undefined && { timeZone: options.timeZone }),
  ...(options.dueSoonDays !== undefined && { dueSoonDays: options.dueSoonDays }),
  ...((options.cutoffDay !== undefined || options.dueDay !== undefined) && {
    reporting: { ...(options.cutoffDay !== undefined && { cutoffDay: options.cutoffDay }), ...(options.dueDay !== undefined && { dueDay: options.dueDay }) },
  }),
  ...identityProviderOf(options),
});

export const createCity = async (config: Config, options: CitiesConnection & CitySettingsOptions & { reason: string }, cityId: string) => {
  const city = (await callApi(config, options, 'POST', '', { id: cityId, ...settingsOf(options), reason: options.reason })) as CityView;
  print(options, city, `created: ${line(city)}`);
};

export const changeCity = async (config: Config, options: CitiesConnection & CitySettingsOptions & { reason: string }, cityId: string) => {
  const city = (await callApi(config, options, 'PATCH', `/${encodeURIComponent(cityId)}`, { ...settingsOf(options), reason: options.reason })) as CityView;
  print(options, city, `changed: ${line(city)}`);
};

export const suspendOrResumeCity = async (config: Config, options: CitiesConnection & { reason: string }, cityId: string, action: 'suspend' | 'resume') => {
  const city = (await callApi(config, options, 'POST', `/${encodeURIComponent(cityId)}/${action}`, { reason: options.reason })) as CityView;
  print(options, city, `${action === 'suspend' ? 'suspended' : 'resumed'}: ${line(city)}`);
};

/** `--agency from=to`, repeated: a merged city's agency whose work passes to another agency of the successor. */
const agencyMapOf = (pairs: readonly string[] | undefined): Record<string, string> | undefined => {
  if (!pairs?.length) return undefined;
  return Object.fromEntries(
    pairs.map((pair) => {
      const [from, to, ...rest] = pair.split('=');
      if (!from || !to || rest.length) throw new InputError(`--agency ${pair}: write it as <agency of the merged city>=<agency of the successor>`);
      return [from.trim(), to.trim()];
    }),
  );
};

export const mergeCity = async (
  config: Config,
  options: CitiesConnection & { into: string; reason: string; effectiveOn?: string; agency?: string[] },
  cityId: string,
) => {
  const body = {
    into: options.into,
    reason: options.reason,
    ...(options.effectiveOn && { effectiveOn: options.effectiveOn }),
    ...(options.agency?.length && { agencies: agencyMapOf(options.agency) }),
  };
  const result = (await callApi(config, options, 'POST', `/${encodeURIComponent(cityId)}/merge`, body)) as {
    city: CityView;
    into: string;
    plansMoved: number;
    tasksMoved: number;
    tasksHandedOver: number;
  };
  print(
    options,
    result,
    `merged: ${cityId} into ${result.into}; ${result.plansMoved} plans and ${result.tasksMoved} tasks moved, ${result.tasksHandedOver} tasks handed over to the successor's agencies`,
  );
};
