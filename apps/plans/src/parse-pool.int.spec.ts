// The pool that reads uploaded documents in worker threads (issue 17): the real worker reads as the
// importer does in process; a reading that never ends leaves this thread free and is stopped at the limit.
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ImportError, parsePlan } from '@mandate/plan-import';
import { ParsePool, ParsePoolBusyError, ParseTooComplexError } from './parse-pool';
import { readDirectory, readLeaders, SEEDS_DIR } from './seed';

jest.setTimeout(60_000);

const SEED = 'hai-phong-40-KH-UBND-2023.txt';
const options = { directory: readDirectory('hai-phong'), leaders: readLeaders('hai-phong') };

describe('ParsePool', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mandate-parse-pool-'));
  // A worker that starts, takes the document and never answers: a reading that runs forever.
  const endless = path.join(dir, 'endless-worker.js');
  fs.writeFileSync(
    endless,
    "const { parentPort } = require('node:worker_threads');\nparentPort.on('message', () => { for (;;); });\nparentPort.postMessage({ ready: true });\n",
  );
  const pools: ParsePool[] = [];
  const pool = (o: ConstructorParameters<typeof ParsePool>[0]) => {
    const made = new ParsePool(o);
    pools.push(made);
    return made;
  };
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((_, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads a document in a worker exactly as the importer does in process, and keeps its refusals', async () => {
    const readers = pool({ timeoutMs: 30_000 });
    const bytes = fs.readFileSync(path.join(SEEDS_DIR, 'documents', SEED));
    const inProcess = parsePlan(bytes.toString('utf8'), { ...options, document: SEED });
    expect(await readers.read(bytes, SEED, options).then((read) => read.parsed)).toEqual(inProcess);
    const empty = await readers
      .read(Buffer.from('  \n'), 'empty.txt', options)
      .then((read) => read.parsed)
      .catch((error: unknown) => error);
    expect(empty).toBeInstanceOf(ImportError);
    expect(empty).toMatchObject({ importCode: 'plan-import.empty', document: 'empty.txt' });
    const binary = await readers
      .read(Buffer.from([0x4b, 0, 0x48]), 'scan.pdf', options)
      .then((read) => read.parsed)
      .catch((error: unknown) => error);
    expect(binary).toMatchObject({ importCode: 'plan-import.binary' });
  });

  it('answers other requests while a reading runs, stops it at the limit, and reads the next document', async () => {
    const readers = pool({ timeoutMs: 2_000, size: 1, script: endless });
    let settled = false;
    const reading = readers
      .read(Buffer.from('x'), 'endless.txt', options)
      .then((read) => read.parsed)
      .finally(() => (settled = true));
    reading.catch(() => undefined);
    // This thread is free while the worker spins: an HTTP request to a server on it is answered meanwhile.
    const health = await fetch(url);
    expect(await health.text()).toBe('ok');
    expect(settled).toBe(false);
    const error = await reading.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseTooComplexError);
    expect((error as Error).message).toMatch(
      /^Reading "endless\.txt" took longer than 2000 ms, the limit for one import, and was stopped; nothing was imported\./,
    );
    // The stopped worker was replaced: the pool still reads (and stops) the next one.
    await expect(readers.read(Buffer.from('x'), 'again.txt', options).then((read) => read.parsed)).rejects.toBeInstanceOf(ParseTooComplexError);
  });

  it('refuses at once when every reader is busy and the queue is full', async () => {
    const readers = pool({ timeoutMs: 3_000, size: 1, maxQueued: 2, script: endless });
    const first = readers.read(Buffer.from('x'), 'one.txt', options).then((read) => read.parsed);
    const second = readers.read(Buffer.from('x'), 'two.txt', options).then((read) => read.parsed);
    await expect(readers.read(Buffer.from('x'), 'three.txt', options).then((read) => read.parsed)).rejects.toBeInstanceOf(ParsePoolBusyError);
    await expect(first).rejects.toBeInstanceOf(ParseTooComplexError);
    await expect(second).rejects.toBeInstanceOf(ParseTooComplexError);
  });

  it('lets cities take turns: one city’s burst neither goes before another’s document nor fills the queue', async () => {
    // A worker that answers each document after 150 ms (as a refusal naming it), so the order is seen.
    const slow = path.join(dir, 'slow-worker.js');
    fs.writeFileSync(
      slow,
      "const { parentPort } = require('node:worker_threads');\nparentPort.on('message', (m) => setTimeout(() => parentPort.postMessage({ id: m.id, error: { message: m.document } }), 150));\nparentPort.postMessage({ ready: true });\n",
    );
    const readers = pool({ size: 1, maxQueued: 8, maxQueuedPerCity: 3, script: slow });
    const done: string[] = [];
    const read = (city: string, document: string) =>
      readers.read(Buffer.from('x'), document, { ...options, cityId: city }).then(
        () => done.push(document),
        (error: Error) => (error instanceof ParsePoolBusyError ? Promise.reject(error) : done.push(error.message)),
      );
    await read('lai-chau', 'w0'); // the reader started and idle
    const burst = ['a1', 'a2', 'a3', 'a4'].map((d) => read('quang-ninh', d));
    // a1 is being read; a2–a4 wait: the city's three. A fifth of the same city is refused, another city's is not.
    await expect(read('quang-ninh', 'a5')).rejects.toMatchObject({ city: 'quang-ninh' });
    const other = [read('ha-noi', 'b1'), read('hai-phong', 'c1')];
    await Promise.all([...burst, ...other]);
    expect(done).toEqual(['w0', 'a1', 'b1', 'c1', 'a2', 'a3', 'a4']);
  });
});
