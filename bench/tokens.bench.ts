// `npm run bench -- tokens`: what a bearer token costs each request (the gateway verifies the caller's
// and signs an internal one; each service verifies that). Mandate's verifyToken/signToken against the
// baseline in the same process: jsonwebtoken given the secret as a string, as Mandate called it before.
import * as jwt from 'jsonwebtoken';
import { signToken, verifyToken } from '../libs/shared/http/src/auth';

const SECRET = 'bench-secret-bench-secret-bench-secret-0';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20_000);
const actor = { userId: 'office@ha-noi', role: 'office' as const, agencyId: null, cityId: 'ha-noi' };
const token = signToken(SECRET, actor);

const perCall = (label: string, call: () => unknown): number => {
  for (let i = 0; i < ROUNDS / 10; i++) call(); // warm-up
  const started = process.hrtime.bigint();
  for (let i = 0; i < ROUNDS; i++) call();
  const micros = Number(process.hrtime.bigint() - started) / ROUNDS / 1000;
  console.log(`  ${label.padEnd(44)} ${micros.toFixed(1).padStart(8)} µs`);
  return micros;
};

console.log(`Bearer tokens, HS256, ${ROUNDS} calls each (Node ${process.version})`);
const baseVerify = perCall('jsonwebtoken verify, secret as a string', () => jwt.verify(token, SECRET, { algorithms: ['HS256'], issuer: 'mandate' }));
const verify = perCall('verifyToken (the key made once)', () => verifyToken(SECRET, token));
const baseSign = perCall('jsonwebtoken sign, secret as a string', () => jwt.sign({ sub: 'u', city: 'ha-noi', role: 'office' }, SECRET, { algorithm: 'HS256', expiresIn: 120 }));
const sign = perCall('signToken (the key made once)', () => signToken(SECRET, actor, 120, 'mandate-internal'));
console.log(`verify: ${(baseVerify / verify).toFixed(1)}x faster than the baseline; sign: ${(baseSign / sign).toFixed(1)}x`);
