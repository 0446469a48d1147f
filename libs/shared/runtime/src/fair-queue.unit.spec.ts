import { FairLimitBusyError, FairLimiter, FairQueue } from './fair-queue';

describe('FairQueue: the city served longest ago goes next', () => {
  it('alternates between cities however much one of them queued first', () => {
    const queue = new FairQueue<string>();
    for (let i = 1; i <= 4; i++) queue.push('ha-noi', `ha-noi ${i}`);
    queue.push('hai-phong', 'hai-phong 1');
    queue.push('hai-phong', 'hai-phong 2');
    const order: string[] = [];
    for (let item = queue.take(); item !== undefined; item = queue.take()) order.push(item);
    expect(order).toEqual(['ha-noi 1', 'hai-phong 1', 'ha-noi 2', 'hai-phong 2', 'ha-noi 3', 'ha-noi 4']);
    expect(queue.length).toBe(0);
  });

  it('puts a city that arrives late ahead of one served just now', () => {
    const queue = new FairQueue<string>();
    queue.push('ha-noi', 'a');
    queue.push('ha-noi', 'b');
    expect(queue.take()).toBe('a');
    queue.push('quang-ninh', 'c');
    expect([queue.take(), queue.take()]).toEqual(['c', 'b']);
  });

  it('counts what each city has waiting, and drains', () => {
    const queue = new FairQueue<number>();
    queue.push('ha-noi', 1);
    queue.push('ha-noi', 2);
    queue.push('hue', 3);
    expect([queue.countOf('ha-noi'), queue.countOf('hue'), queue.countOf('hai-phong'), queue.length]).toEqual([2, 1, 0, 3]);
    expect(queue.drain().sort()).toEqual([1, 2, 3]);
    expect(queue.take()).toBeUndefined();
  });
});

describe('FairLimiter', () => {
  const gate = () => {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    return { open, opened };
  };

  it('runs at most its concurrency at once, and the waiting city with the oldest turn next', async () => {
    const limiter = new FairLimiter(2);
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof gate>>();
    const job = (key: string, name: string) =>
      limiter.run(key, async () => {
        started.push(name);
        const g = gate();
        gates.set(name, g);
        await g.opened;
        return name;
      });
    const done = [...['h1', 'h2', 'h3', 'h4'].map((n) => job('ha-noi', n)), job('hai-phong', 'p1')];
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['h1', 'h2']);
    expect(limiter.load).toEqual({ running: 2, waiting: 3 });
    gates.get('h1')!.open();
    await new Promise((r) => setImmediate(r));
    // Hải Phòng has waited without a turn: it goes before Hà Nội's third.
    expect(started).toEqual(['h1', 'h2', 'p1']);
    for (const name of ['h2', 'p1']) gates.get(name)!.open();
    await new Promise((r) => setImmediate(r));
    for (const name of ['h3', 'h4']) gates.get(name)?.open();
    await new Promise((r) => setImmediate(r));
    gates.get('h4')?.open();
    expect(await Promise.all(done)).toEqual(['h1', 'h2', 'h3', 'h4', 'p1']);
    expect(limiter.load).toEqual({ running: 0, waiting: 0 });
  });

  it('passes a failure on and frees the slot, a synchronous throw included', async () => {
    const limiter = new FairLimiter(1);
    await expect(limiter.run('hue', async () => Promise.reject(new Error('read failed')))).rejects.toThrow('read failed');
    await expect(
      limiter.run('hue', () => {
        throw new Error('thrown');
      }),
    ).rejects.toThrow('thrown');
    await expect(limiter.run('hue', async () => 42)).resolves.toBe(42);
  });

  it('refuses what a city would queue beyond its share, and serves the other cities', async () => {
    const limiter = new FairLimiter(1, 2);
    const hold = gate();
    const running = limiter.run('ha-noi', () => hold.opened);
    const waiting = [limiter.run('ha-noi', async () => 1), limiter.run('ha-noi', async () => 2)];
    await expect(limiter.run('ha-noi', async () => 3)).rejects.toBeInstanceOf(FairLimitBusyError);
    const other = limiter.run('hai-phong', async () => 'served');
    hold.open();
    await running;
    expect(await Promise.all([...waiting, other])).toEqual([1, 2, 'served']);
  });

  it('refuses a concurrency that is not a whole number from 1', () => {
    expect(() => new FairLimiter(0)).toThrow(/concurrency/);
  });
});
