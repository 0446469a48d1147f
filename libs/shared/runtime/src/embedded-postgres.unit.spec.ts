import { portIn, postmasterOf, startFailure } from './embedded-postgres';

describe('embedded PostgreSQL helpers', () => {
  it('reads the pid, data directory and port of a postmaster.pid', () => {
    const text = '4242\n/srv/mandate/.data/postgres\n1765081432\n41234\n/tmp\nlocalhost\n  5432001  1\nready   \n';
    expect(postmasterOf(text)).toEqual({ pid: 4242, dataDir: '/srv/mandate/.data/postgres', port: 41234 });
    expect(postmasterOf('')).toBeNull();
    expect(postmasterOf('not a pid\n/x\n')).toBeNull();
    expect(postmasterOf('12\n/x')).toEqual({ pid: 12, dataDir: '/x', port: null });
  });

  it('reads a remembered port, and nothing from what is not one', () => {
    expect(portIn('41234\n')).toBe(41234);
    for (const bad of ['', 'x', '0', '70000', '12.5', '-3']) expect(portIn(bad)).toBeNull();
  });

  it("puts a failed start in words with PostgreSQL's last lines, whatever it was rejected with", () => {
    const tail = ['FATAL:  configuration file contains errors'];
    expect(startFailure('The embedded PostgreSQL did not start', undefined, tail).message).toBe(
      'The embedded PostgreSQL did not start; PostgreSQL said:\n  FATAL:  configuration file contains errors',
    );
    expect(startFailure('initdb failed', new Error('code 1'), []).message).toBe('initdb failed (code 1)');
  });
});
