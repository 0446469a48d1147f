import { CityRegistry, type City } from './cities';

const quangNinh = (changes: Partial<City> = {}): City => ({
  id: 'quang-ninh',
  name: 'Tỉnh Quảng Ninh',
  level: 'province',
  timeZone: 'Asia/Ho_Chi_Minh',
  dueSoonDays: 3,
  reporting: {},
  status: 'active',
  identityProvider: null,
  ...changes,
});

describe('CityRegistry: the cities a process knows, fed by the operator log', () => {
  it('learns a city and each newer version of it', () => {
    const registry = new CityRegistry();
    expect(registry.get('quang-ninh')).toBeUndefined();
    expect(registry.apply(quangNinh(), 1n)).toBe(true);
    expect(registry.apply(quangNinh({ status: 'suspended' }), 3n)).toBe(true);
    expect(registry.get('quang-ninh')?.status).toBe('suspended');
  });

  it('ignores a version it holds or an older one, so replays and the two feeds agree', () => {
    const registry = new CityRegistry();
    registry.apply(quangNinh({ dueSoonDays: 5 }), 2n);
    expect(registry.apply(quangNinh({ dueSoonDays: 7 }), 2n)).toBe(false);
    expect(registry.apply(quangNinh(), 1n)).toBe(false);
    expect(registry.get('quang-ninh')?.dueSoonDays).toBe(5);
  });

  it('lists every city by id, suspended ones too', () => {
    const registry = new CityRegistry();
    registry.apply(quangNinh(), 1n);
    registry.apply({ ...quangNinh(), id: 'hai-phong', status: 'suspended' }, 1n);
    expect(registry.all().map((c) => [c.id, c.status])).toEqual([
      ['hai-phong', 'suspended'],
      ['quang-ninh', 'active'],
    ]);
  });
});
