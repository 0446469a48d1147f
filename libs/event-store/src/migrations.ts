import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  assertSchemaName,
  createAnchorStatements,
  createSchemaStatements,
  dropAnchorStatements,
  dropHashV2AndCheckpointStatements,
  dropSchemaStatements,
  hashV2AndCheckpointStatements,
} from './schema';

/** Fixed timestamp: TypeORM orders migrations by the 13 digits at the end of the name. */
const INITIAL_TIMESTAMP = 1767225600000;
const ANCHORS_TIMESTAMP = 1767225700000;
const HASH_V2_TIMESTAMP = 1767225800000;

export type MigrationClass = new () => MigrationInterface;

/**
 * TypeORM migration classes for one event store schema (pass them to the DataSource `migrations`
 * option). The name carries the schema, so several stores can share one DataSource; the SQL is
 * idempotent, so running `up` again on an existing schema changes nothing. Append new ones; a
 * deployment has run the earlier ones as they are.
 */
export const eventStoreMigrations = (schema: string): MigrationClass[] => {
  assertSchemaName(schema);
  class CreateEventStore implements MigrationInterface {
    readonly name = `EventStore_${schema}_Create${INITIAL_TIMESTAMP}`;
    async up(queryRunner: QueryRunner): Promise<void> {
      for (const statement of createSchemaStatements(schema)) await queryRunner.query(statement);
    }
    async down(queryRunner: QueryRunner): Promise<void> {
      for (const statement of dropSchemaStatements(schema)) await queryRunner.query(statement);
    }
  }
  class CreateAuditAnchors implements MigrationInterface {
    readonly name = `EventStore_${schema}_AuditAnchors${ANCHORS_TIMESTAMP}`;
    async up(queryRunner: QueryRunner): Promise<void> {
      for (const statement of createAnchorStatements(schema)) await queryRunner.query(statement);
    }
    async down(queryRunner: QueryRunner): Promise<void> {
      for (const statement of dropAnchorStatements(schema)) await queryRunner.query(statement);
    }
  }
  class HashV2AndCheckpoints implements MigrationInterface {
    readonly name = `EventStore_${schema}_HashV2Checkpoints${HASH_V2_TIMESTAMP}`;
    async up(queryRunner: QueryRunner): Promise<void> {
      for (const statement of hashV2AndCheckpointStatements(schema)) await queryRunner.query(statement);
    }
    async down(queryRunner: QueryRunner): Promise<void> {
      for (const statement of dropHashV2AndCheckpointStatements(schema)) await queryRunner.query(statement);
    }
  }
  return [CreateEventStore, CreateAuditAnchors, HashV2AndCheckpoints];
};
