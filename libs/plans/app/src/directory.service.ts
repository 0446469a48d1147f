import { randomUUID } from 'node:crypto';
import {
  currentAgencyOf,
  directoryDecider,
  leaderNamesOf,
  type Directory,
  type DirectoryAgency,
  type DirectoryCommand,
  type DirectoryEvent,
  type DirectoryLeader,
  type DirectoryRow,
} from '@mandate/cities-domain';
import type { PostgresEventStore, StoredEvent } from '@mandate/event-store';
import { fold, type Clock } from '@mandate/kernel';
import type { Agency } from '@mandate/plans-domain';
import { ident, readSeedLeaders, type Logger, type SeedLeader } from '@mandate/runtime';
import type { DataSource } from 'typeorm';
import type { Actor } from './actor';
import { handleCommand, toDomainEvent } from './command-handler';

/** A city's directory stream in the plans log: in the city's own chain, kept by its office. */
export const directoryStream = (cityId: string) => `directory-${cityId}`;

export type DirectoryView = Directory & { cityId: string; version: bigint };

type Origin = { correlationId: string; commandId?: string };

/**
 * Each city's directory of agencies and leaders (libs/cities/domain): its commands, and the one view
 * every lookup reads (imports resolving agency and leader names, reassigning a task, counts per
 * leader, the web's names). The view is the stream folded and kept until the stream moves: each
 * lookup asks the stream's head (one indexed read), so an instance sees another's change at once.
 */
export class DirectoryService {
  private readonly views = new Map<string, DirectoryView>();

  constructor(
    private readonly store: PostgresEventStore,
    private readonly db: DataSource,
    private readonly schema: string,
    private readonly clock: Clock,
    private readonly onAppended: () => void = () => undefined,
  ) {}

  private async head(cityId: string): Promise<bigint> {
    const [row] = (await this.db.query(`SELECT max(stream_version) AS v FROM ${ident(this.schema)}.events WHERE stream_id = $1 AND city_id = $2`, [
      directoryStream(cityId),
      cityId,
    ])) as { v: string | null }[];
    return BigInt(row?.v ?? 0);
  }

  /** The city's directory as its log has it now. */
  async of(cityId: string): Promise<DirectoryView> {
    const head = await this.head(cityId);
    const held = this.views.get(cityId);
    if (held && held.version === head) return held;
    const { events, streamVersion } = await this.store.readStream(directoryStream(cityId), { cityId });
    const view: DirectoryView = {
      ...fold(
        directoryDecider,
        events.map((e) => toDomainEvent<DirectoryEvent>(e)),
      ),
      cityId,
      version: streamVersion,
    };
    this.views.set(cityId, view);
    return view;
  }

  /**
   * The agencies names are resolved against: the active ones, each also answering to the names and
   * aliases of the agencies merged into it, so a document written before a merger still resolves, to
   * where the work goes now.
   */
  async agencies(cityId: string): Promise<Agency[]> {
    const directory = await this.of(cityId);
    const formerNames = new Map<string, string[]>();
    for (const agency of directory.agencies.filter((a) => !a.active && a.successor)) {
      const heir = currentAgencyOf(directory, agency.agencyId);
      if (heir) formerNames.set(heir.agencyId, [...(formerNames.get(heir.agencyId) ?? []), agency.name, ...agency.aliases]);
    }
    return directory.agencies
      .filter((a) => a.active)
      .map((a) => ({ id: a.agencyId, cityId, name: a.name, kind: a.kind, aliases: [...a.aliases, ...(formerNames.get(a.agencyId) ?? [])] }));
  }

  /**
   * The leaders' names a supervisor cell ("PCT Dương Đức Tuấn") is resolved against, by imports and by
   * the counts and filters per leader: the current leaders first, then those relieved since, whose
   * names the plans written while they served still carry.
   */
  async leaderNames(cityId: string): Promise<string[]> {
    return leaderNamesOf(await this.of(cityId));
  }

  /** The city's directory changes, oldest first. */
  async history(cityId: string): Promise<StoredEvent[]> {
    return (await this.store.readStream(directoryStream(cityId), { cityId })).events;
  }

  /** Runs one directory command of the city office; the view after it. */
  async execute(command: Omit<DirectoryCommand, 'metadata'>, actor: Actor, origin: Origin): Promise<{ view: DirectoryView; events: DirectoryEvent[] }> {
    const metadata = { actorId: actor.userId, role: actor.role, agencyId: actor.agencyId, cityId: actor.cityId, now: this.clock.now() };
    const result = await handleCommand(this.store, directoryDecider, directoryStream(actor.cityId), { ...command, metadata } as DirectoryCommand, origin);
    if (result.stored.length) this.onAppended();
    return { view: await this.of(actor.cityId), events: result.events };
  }

  /** What importing the rows would change, without changing anything (the file's preview). */
  async preview(rows: DirectoryRow[], reason: string, actor: Actor): Promise<DirectoryEvent[]> {
    const metadata = { actorId: actor.userId, role: actor.role, agencyId: actor.agencyId, cityId: actor.cityId, now: this.clock.now() };
    return directoryDecider.decide({ type: 'ImportDirectory', data: { rows, reason }, metadata }, await this.of(actor.cityId));
  }

  /**
   * A city's first directory, from the seeds, as its office would enter it: the agencies
   * (seeds/agencies/<city>.json) imported as one change while the city has none, and the leaders
   * (seeds/leaders/<city>.json) appointed as one change while it has never had any (also in a
   * directory seeded before leaders were part of it).
   */
  async seed(
    cityId: string,
    entries: readonly { id: string; name: string; kind?: string; aliases?: readonly string[] }[],
    logger: Logger,
    leaders: readonly SeedLeader[] = readSeedLeaders(cityId),
  ): Promise<boolean> {
    const office: Actor = { userId: 'system:seed', role: 'office', agencyId: null, cityId };
    let seeded = false;
    if (entries.length > 0 && (await this.head(cityId)) === 0n) {
      const rows: DirectoryRow[] = entries.map((e, i) => ({
        line: i + 1,
        agencyId: e.id,
        name: e.name,
        kind: (e.kind ?? 'other') as DirectoryRow['kind'],
        parentId: null,
        aliases: [...(e.aliases ?? [])],
      }));
      await this.execute({ type: 'ImportDirectory', data: { rows, reason: 'Dữ liệu khởi tạo của hệ thống (seeds/agencies)' } }, office, {
        correlationId: `seed-directory:${cityId}`,
        commandId: `seed-directory:${cityId}`,
      });
      logger.info({ cityId, agencies: rows.length }, 'seed directory imported into the log');
      seeded = true;
    }
    if (leaders.length > 0 && (await this.of(cityId)).leaders.length === 0) {
      const appointed = leaders.map((l) => ({ leaderId: randomUUID(), name: l.name, title: l.title, fields: [...(l.fields ?? [])] }));
      // The command id makes a retry after a crash find the leaders appointed, whatever ids it drew.
      await this.execute({ type: 'AppointLeaders', data: { leaders: appointed } }, office, {
        correlationId: `seed-leaders:${cityId}`,
        commandId: `seed-leaders:${cityId}`,
      });
      logger.info({ cityId, leaders: appointed.length }, 'seed leaders appointed in the log');
      seeded = true;
    }
    return seeded;
  }
}

/** An agency as the API shows it. */
export const agencyResource = (a: DirectoryAgency) => ({
  id: a.agencyId,
  name: a.name,
  kind: a.kind,
  parentId: a.parentId,
  aliases: a.aliases,
  active: a.active,
  successor: a.successor,
});

/** A leader of the city's UBND as the API shows them. */
export const leaderResource = (l: DirectoryLeader) => ({
  id: l.leaderId,
  name: l.name,
  title: l.title,
  fields: l.fields,
  current: l.current,
  appointedAt: l.appointedAt,
  relievedAt: l.relievedAt,
});
