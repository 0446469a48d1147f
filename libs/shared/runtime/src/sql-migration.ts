import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A TypeORM migration made of plain SQL statements, for tables whose schema name is chosen at run
 * time (each service owns a schema). TypeORM reads the timestamp from the last 13 digits of `name`.
 */
export const sqlMigration = (name: string, timestamp: number, up: (schema: string) => string[], down: (schema: string) => string[]) =>
  function migrationFor(schema: string): new () => MigrationInterface {
    const migrationName = `${name}${timestamp}`;
    return class implements MigrationInterface {
      name = migrationName;
      async up(runner: QueryRunner): Promise<void> {
        for (const statement of up(schema)) await runner.query(statement);
      }
      async down(runner: QueryRunner): Promise<void> {
        for (const statement of down(schema)) await runner.query(statement);
      }
    };
  };

/** Quote an identifier we build from configuration (schema names): never from user input. */
export const ident = (name: string): string => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Invalid SQL identifier: ${name}`);
  return `"${name}"`;
};
