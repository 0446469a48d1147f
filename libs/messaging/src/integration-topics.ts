import { isCityId } from '@mandate/kernel';
/**
 * Integrators read Kafka through one topic per city, so a broker grants a city's integrator its city
 * and nothing else with an ACL on a literal topic name (no per-message filtering by `cityid`, which
 * no broker can enforce). Names here are logical: KafkaNames adds the deployment's namespace.
 */

/** The same rule the HTTP layer applies to a token's city: lowercase letters, digits and '-'. */

export class InvalidCityIdError extends Error {}

export const isTopicSafeCityId = (cityId: string): boolean => isCityId(cityId);

const checked = (cityId: string): string => {
  if (!isTopicSafeCityId(cityId)) {
    throw new InvalidCityIdError(`City id ${JSON.stringify(cityId)} cannot name a Kafka topic: 1-63 of [a-z0-9-], not starting with '-'`);
  }
  return cityId;
};

/** `mandate.integration.<cityId>.v1`: the city's integration events, as the event feed serves them. */
export const integrationTopicOf = (cityId: string): string => `mandate.integration.${checked(cityId)}.v1`;

/**
 * `integrator.<cityId>.`: the prefix of the consumer groups a city's integrator may use (a prefixed
 * group ACL), so integrators of two cities can never join, or reset, each other's groups.
 */
export const integratorGroupPrefix = (cityId: string): string => `integrator.${checked(cityId)}.`;
