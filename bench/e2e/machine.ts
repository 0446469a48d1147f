// What the benches read about the machine while they measure: CPU time per process (/proc) and
// whether the machine has gone quiet after a setup.
import { execSync } from 'node:child_process';
import * as fs from 'node:fs';
import { cpus } from 'node:os';

export type Proc = { name: string; pid: number };
export type CpuTimes = Map<string, number>;

const TICKS = Number(execSync('getconf CLK_TCK').toString().trim()) || 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Busy CPU time of the whole machine (all CPUs, all but idle and iowait), in ms. */
export const machineBusyMs = (): number => {
  const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy = all but idle and iowait
  return ((cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6] + cpu[7]) * 1000) / TICKS;
};

/**
 * CPU time (user + system, all threads) of each process, and of PostgreSQL (every backend, those
 * exited included), Kafka and the whole machine, in ms.
 */
export const cpuTimes = (procs: Proc[]): CpuTimes => {
  const times: CpuTimes = new Map();
  const stat = (pid: string) => {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // utime + stime, and cutime + cstime: what its children took, once it has waited for them.
    return { comm, ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS, childrenMs: ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS };
  };
  for (const p of procs) {
    try {
      times.set(p.name, stat(String(p.pid)).ms);
    } catch {
      // exited
    }
  }
  let postgres = 0;
  let kafka = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const { comm, ms, childrenMs } = stat(pid);
      // The postmaster's children's time keeps the CPU of the backends that have exited (a sum over
      // the live processes alone falls when a connection closes).
      if (comm === 'postgres') postgres += ms + childrenMs;
      else if (comm === 'java') kafka += ms;
    } catch {
      // gone meanwhile
    }
  }
  times.set('PostgreSQL (all backends)', postgres);
  times.set('Kafka broker (JVM)', kafka);
  times.set('machine (all CPUs, busy)', machineBusyMs());
  return times;
};

/** CPU ms of each live PostgreSQL backend of `database`, by pid (its title names it: "postgres: 15/main: postgres <database> 127.0.0.1(…) idle"). */
export const backendTimes = (database: string): Map<string, number> => {
  const times = new Map<string, number>();
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (
        !fs
          .readFileSync(`/proc/${pid}/cmdline`, 'utf8')
          .split(/[\s\0]+/)
          .includes(database)
      )
        continue;
      const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')) !== 'postgres') continue;
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      times.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS);
    } catch {
      // gone meanwhile
    }
  }
  return times;
};

/** What a database's backends took between two readings: the growth of those still there, all of a new one's (one gone meanwhile is lost). */
export const backendsSpent = (before: Map<string, number>, after: Map<string, number>): number =>
  [...after].reduce((sum, [pid, ms]) => sum + ms - (before.get(pid) ?? 0), 0);

/** `after - before`, process by process. */
export const cpuSpent = (before: CpuTimes, after: CpuTimes): CpuTimes => new Map([...after].map(([key, ms]) => [key, ms - (before.get(key) ?? ms)]));

/**
 * Waits until the machine is mostly idle (busy under 35% of its cores over a second, at most
 * `maxSeconds`): the consumers have worked off what a setup sent them, so what comes next measures
 * the load it sends, not that backlog. Answers the seconds it waited.
 */
export const settle = async (maxSeconds = 120): Promise<number> => {
  const started = Date.now();
  while (Date.now() - started < maxSeconds * 1000) {
    const before = machineBusyMs();
    await sleep(1000);
    if ((machineBusyMs() - before) / (1000 * cpus().length) < 0.35) break;
  }
  return (Date.now() - started) / 1000;
};
