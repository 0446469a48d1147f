import { ValidationError } from '@mandate/kernel';
import type { EventMetadata } from './types';

export type Upcaster = {
  type: string;
  fromVersion: number;
  toVersion: number;
  upcast: (data: Record<string, unknown>, metadata: EventMetadata) => Record<string, unknown>;
};

export type UpcastResult = { schemaVersion: number; data: Record<string, unknown> };

/** Applies upcasters in chains (v1 -> v2 -> v3) until none matches; hashes stay over the stored form. */
export class Upcasters {
  private readonly byKey = new Map<string, Upcaster>();

  constructor(upcasters: readonly Upcaster[] = []) {
    for (const upcaster of upcasters) {
      if (!Number.isInteger(upcaster.fromVersion) || !Number.isInteger(upcaster.toVersion)) {
        throw new ValidationError(`Upcaster for ${upcaster.type} needs integer versions`, 'invalid-upcaster');
      }
      // A chain must only move forward, or reading could loop forever.
      if (upcaster.toVersion <= upcaster.fromVersion) {
        throw new ValidationError(
          `Upcaster for ${upcaster.type} must raise the version (${upcaster.fromVersion} -> ${upcaster.toVersion})`,
          'invalid-upcaster',
        );
      }
      const key = Upcasters.key(upcaster.type, upcaster.fromVersion);
      if (this.byKey.has(key)) {
        throw new ValidationError(`Two upcasters for ${upcaster.type} v${upcaster.fromVersion}`, 'invalid-upcaster');
      }
      this.byKey.set(key, upcaster);
    }
  }

  get isEmpty(): boolean {
    return this.byKey.size === 0;
  }

  apply(type: string, schemaVersion: number, data: Record<string, unknown>, metadata: EventMetadata): UpcastResult {
    let current = { schemaVersion, data };
    for (let next = this.byKey.get(Upcasters.key(type, schemaVersion)); next;) {
      current = { schemaVersion: next.toVersion, data: next.upcast(current.data, metadata) };
      next = this.byKey.get(Upcasters.key(type, current.schemaVersion));
    }
    return current;
  }

  private static key(type: string, version: number): string {
    return `${version}\u0000${type}`;
  }
}
