/**
 * Logical topic and group names (`mandate.tasks.v1`, `reporting`) mapped to the names on a broker.
 * A namespace lets several deployments (staging and production, or parallel test runs) share one
 * Kafka cluster without reading each other's events.
 */
export class KafkaNames {
  constructor(readonly namespace = '') {}

  private get prefix() {
    return this.namespace ? `${this.namespace}.` : '';
  }

  topic(logical: string): string {
    return `${this.prefix}${logical}`;
  }

  logicalTopic(physical: string): string {
    return this.prefix && physical.startsWith(this.prefix) ? physical.slice(this.prefix.length) : physical;
  }

  group(logical: string): string {
    return `${this.prefix}${logical}`;
  }
}
