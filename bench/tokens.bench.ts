// `npm run bench -- tokens`: what a bearer token costs each request (the gateway verifies the caller's
// and signs an internal one; each service verifies that). Mandate's verifyToken/signToken, their HMAC
// key made once, against the baseline in the same process: jose given the secret's bytes on every call.
import { jwtVerify, SignJWT } from 'jose';
import { signToken, verifyToken } from '../libs/shared/http/src/auth';

const SECRET = 'bench-secret-bench-secret-bench-secret-0';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20_000);
const actor = { userId: 'office@ha-noi', role: 'office' as const, agencyId: null, cityId: 'ha-noi' };
const secretBytes = () => new TextEncoder().encode(SECRET);

const perCall = async (label: string, call: () => Promise<unknown>): Promise<number> => {
  for (let i = 0; i < ROUNDS / 10; i++) await call(); // warm-up
  const started = process.hrtime.bigint();
  for (let i = 0; i < ROUNDS; i++) await call();
  const micros = Number(process.hrtime.bigint() - started) / ROUNDS / 1000;
  console.log(`  ${label.padEnd(44)} ${micros.toFixed(1).padStart(8)} µs`);
  return micros;
};

const main = async () => {
  const token = await signToken(SECRET, actor);
  console.log(`Bearer tokens, HS256, ${ROUNDS} calls each (Node ${process.version})`);
  const baseVerify = await perCall('jose verify, the secret given as bytes', () =>
    jwtVerify(token, secretBytes(), { algorithms: ['HS256'], issuer: 'mandate' }),
  );
  const verify = await perCall('verifyToken (the key made once)', () => verifyToken(SECRET, token));
  const baseSign = await perCall('jose sign, the secret given as bytes', () =>
    new SignJWT({ sub: 'u', city: 'ha-noi', role: 'office' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .setIssuer('mandate-internal')
      .setExpirationTime('120s')
      .sign(secretBytes()),
  );
  const sign = await perCall('signToken (the key made once)', () => signToken(SECRET, actor, 120, 'mandate-internal'));
  console.log(`verify: ${(baseVerify / verify).toFixed(1)}x faster than the baseline; sign: ${(baseSign / sign).toFixed(1)}x`);
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
