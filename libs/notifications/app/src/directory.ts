import * as fs from 'node:fs';
import type { Addressee } from '@mandate/notifications-domain';
import { z } from 'zod';

const email = z.email();
const person = z
  .object({
    userId: z.string().min(1).max(200),
    email,
    name: z.string().max(200).optional(),
    /** The agency whose notices the person receives (an officer of it). */
    agencyId: z.string().optional(),
    /** The leader's name as the plans write it (Người phụ trách): they receive that leader's digest. */
    leader: z.string().optional(),
  })
  .strict();
const cityBook = z.union([
  z.object({ agencies: z.record(z.string(), email).default({}), people: z.array(person).default([]) }).strict(),
  // The first form of the file: agency id -> mailbox.
  z.record(z.string(), email).transform((agencies) => ({ agencies, people: [] as z.output<typeof person>[] })),
]);
const addressBook = z.record(z.string(), cityBook);

export type Person = z.output<typeof person>;

/** One e-mail recipient: an agency's official mailbox, or a person with their own preferences. */
export type MailRecipient = { key: string; address: string; userId: string | null };

/**
 * The deployment's address book (MANDATE_CONTACTS_FILE): per city, agencies' official mailboxes and
 * the people who receive notices, with the agency they work for or the leader they are. Events never
 * carry addresses; erasing a person is removing them here (and their preferences).
 */
export class Directory {
  private constructor(private readonly book: z.output<typeof addressBook>) {}

  static empty(): Directory {
    return new Directory({});
  }

  static parse(json: unknown): Directory {
    return new Directory(addressBook.parse(json));
  }

  static read(file: string | undefined): Directory {
    if (!file) return Directory.empty();
    try {
      return Directory.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
    } catch (error) {
      throw new Error(`The address book ${file} cannot be used: ${(error as Error).message}`);
    }
  }

  /** Who receives a notice by e-mail: the agency's mailbox and its people, or the leader's people. */
  recipientsOf(cityId: string, to: Addressee): MailRecipient[] {
    const book = this.book[cityId];
    if (!book) return [];
    const people = (match: (p: Person) => boolean) => book.people.filter(match).map((p) => ({ key: `user:${p.userId}`, address: p.email, userId: p.userId }));
    if ('agencyId' in to) {
      const mailbox = book.agencies[to.agencyId];
      return [...(mailbox ? [{ key: `agency:${to.agencyId}`, address: mailbox, userId: null }] : []), ...people((p) => p.agencyId === to.agencyId)];
    }
    return people((p) => p.leader === to.leader);
  }

  /** Whether the address book still lists a person (their entry is removed from the file, by its owner). */
  lists(cityId: string, userId: string): boolean {
    return (this.book[cityId]?.people ?? []).some((p) => p.userId === userId);
  }

  /** The leaders of a city who receive a digest. */
  leadersOf(cityId: string): string[] {
    return [...new Set((this.book[cityId]?.people ?? []).flatMap((p) => (p.leader ? [p.leader] : [])))];
  }
}
