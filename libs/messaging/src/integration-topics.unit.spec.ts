import { InvalidCityIdError, integratorGroupPrefix, integrationTopicOf, isTopicSafeCityId } from './integration-topics';
import { KafkaNames } from './kafka/kafka-names';

describe('integration topics (one per city)', () => {
  it('names the city’s topic and its integrator’s group prefix', () => {
    expect(integrationTopicOf('ha-noi')).toBe('mandate.integration.ha-noi.v1');
    expect(integrationTopicOf('hai-phong')).toBe('mandate.integration.hai-phong.v1');
    expect(integratorGroupPrefix('ha-noi')).toBe('integrator.ha-noi.');
  });

  it('takes the deployment’s namespace like every other topic and group', () => {
    const names = new KafkaNames('staging');
    expect(names.topic(integrationTopicOf('ha-noi'))).toBe('staging.mandate.integration.ha-noi.v1');
    expect(names.group(integratorGroupPrefix('ha-noi'))).toBe('staging.integrator.ha-noi.');
  });

  it.each(['ha-noi', 'hcm', 'city-1', '0', 'a'.repeat(63)])('accepts %s', (cityId) => {
    expect(isTopicSafeCityId(cityId)).toBe(true);
    expect(() => integrationTopicOf(cityId)).not.toThrow();
  });

  it.each([
    ['empty', ''],
    ['upper case', 'Ha-Noi'],
    ['a dot, which would put city ha.noi’s groups under city ha’s group prefix', 'ha.noi'],
    ['an underscore', 'ha_noi'],
    ['a leading dash', '-ha-noi'],
    ['a space', 'ha noi'],
    ['Vietnamese letters', 'hà-nội'],
    ['a path', '../tasks'],
    ['64 characters', 'a'.repeat(64)],
    ['the wildcard of ACLs', '*'],
  ])('refuses %s', (_why, cityId) => {
    expect(isTopicSafeCityId(cityId)).toBe(false);
    expect(() => integrationTopicOf(cityId)).toThrow(InvalidCityIdError);
    expect(() => integratorGroupPrefix(cityId)).toThrow(InvalidCityIdError);
  });

  it('keeps cities apart under a prefixed group ACL: no city’s group starts with another city’s prefix', () => {
    const cities = ['ha', 'ha-noi', 'ha-noi-2', 'hai-phong'];
    for (const a of cities) {
      for (const b of cities) {
        if (a !== b) expect([a, b, `${integratorGroupPrefix(b)}erp`.startsWith(integratorGroupPrefix(a))]).toEqual([a, b, false]);
      }
    }
  });
});
