import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  assertSchemaName,
  createAnchorStatements,
  continuedStreamsStatements,
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
const CONTINUED_STREAMS_TIMESTAMP = 1767225900000;

export type MigrationClass = new () => MigrationInterface;

/** A migration that runs `up` statements one by one, and `down` ones to undo it. */
const statementsMigration = (name: string, up: readonly string[], down: readonly string[]): MigrationClass =>
  class implements MigrationInterface {
    readonly name = name;
    async up(queryRunner: QueryRunner): Promise<void> {
      for (const statement of up) await queryRunner.query(statement);
    }
    async down(queryRunner: QueryRunner): Promise<void> {
      for (const statement of down) await queryRunner.query(statement);
    }
  };

/**
 * TypeORM migration classes for one event store schema (pass them to the DataSource `migrations`
 * option). The name carries the schema, so several stores can share one DataSource; the SQL is
 * idempotent, so running `up` again on an existing schema changes nothing. Append new ones; a
 * deployment has run the earlier ones as they are.
 */
export const eventStoreMigrations = (schema: string): MigrationClass[] => {
  assertSchemaName(schema);
  return [
    statementsMigration(`EventStore_${schema}_Create${INITIAL_TIMESTAMP}`, createSchemaStatements(schema), dropSchemaStatements(schema)),
    statementsMigration(`EventStore_${schema}_AuditAnchors${ANCHORS_TIMESTAMP}`, createAnchorStatements(schema), dropAnchorStatements(schema)),
    statementsMigration(
      `EventStore_${schema}_HashV2Checkpoints${HASH_V2_TIMESTAMP}`,
      hashV2AndCheckpointStatements(schema),
      dropHashV2AndCheckpointStatements(schema),
    ),
    // Down leaves the new function: it appends exactly as the old one did when no city is continued.
    statementsMigration(`EventStore_${schema}_ContinuedStreams${CONTINUED_STREAMS_TIMESTAMP}`, continuedStreamsStatements(schema), []),
  ];
};
