import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { AGENCY_KINDS, IllegalStateError, NotFoundError } from '@mandate/kernel';
import { currentAgencyOf, type LeaderAppointed } from '@mandate/cities-domain';
import { CommandOrigin, CurrentActor, Doc, etag, parseInput, Requires, type RequestActor } from '@mandate/http';
import { agencyResource, leaderResource, type DirectoryService, type DirectoryView, type PlansService } from '@mandate/plans-app';
import { cityOf } from '@mandate/runtime';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { readDirectoryFile, writeDirectoryFile } from './directory-file';
import { historyItem } from './history';
import { DIRECTORY_SERVICE, PLANS_SERVICE } from './tokens';

const reason = z.string({ error: 'reason is required: the directory keeps why' }).max(4000);
const addBody = z
  .object({
    id: z.string({ error: 'id is required (e.g. so-tai-chinh)' }).max(80),
    name: z.string({ error: 'name is required' }).max(300),
    kind: z.enum(AGENCY_KINDS),
    parentId: z.string().max(80).nullable().optional(),
    aliases: z.array(z.string().max(300)).max(50).optional(),
  })
  .strict();
const renameBody = z.object({ name: z.string({ error: 'name is required' }).max(300), reason }).strict();
const aliasBody = z.object({ alias: z.string({ error: 'alias is required' }).max(300) }).strict();
const moveBody = z.object({ parentId: z.string().max(80).nullable() }).strict();
const reasonBody = z.object({ reason }).strict();
const mergerBody = z
  .object({
    predecessorIds: z.array(z.string().max(80)).min(1).max(50),
    successorId: z.string({ error: 'successorId is required' }).max(80),
    effectiveOn: z.string({ error: 'effectiveOn is required (YYYY-MM-DD)' }).max(10),
    reason,
  })
  .strict();
const appointBody = z
  .object({
    name: z.string({ error: 'name is required (the person, e.g. Dương Đức Tuấn)' }).max(300),
    title: z.string({ error: 'title is required (e.g. Phó Chủ tịch UBND Thành phố)' }).max(300),
    fields: z.array(z.string().max(300)).max(30).optional(),
  })
  .strict();
const titleBody = z.object({ title: z.string({ error: 'title is required' }).max(300), reason }).strict();
const listQuery = z.object({ all: z.enum(['true', 'false']).optional() });
const exportQuery = z.object({ format: z.enum(['xlsx', 'csv']).default('xlsx') });
const importQuery = z.object({ dryRun: z.enum(['true', 'false']).default('false'), reason: z.string().max(4000).default('Nhập danh bạ từ tệp') });

const directoryResource = (view: DirectoryView, all: boolean) => ({
  cityId: view.cityId,
  version: view.version.toString(),
  agencies: view.agencies.filter((a) => all || a.active).map(agencyResource),
  /** The current leaders' names (the field's shape before leaders were kept here). */
  leaders: view.leaders.filter((l) => l.current).map((l) => l.name),
  /** Each leader with their title and fields; ?all=true: the relieved ones too. */
  leadership: view.leaders.filter((l) => all || l.current).map(leaderResource),
});

/**
 * A city's directory of agencies and leaders, kept by its office as events of its log
 * (`directory-<city>`): read by everyone of the city, changed by the office one agency or leader at a
 * time or, for the agencies, from the spreadsheet it keeps (XLSX or CSV), exported in the same form.
 */
@Controller('api/v1/directory')
export class DirectoryHttpController {
  constructor(
    @Inject(DIRECTORY_SERVICE) private readonly directory: DirectoryService,
    @Inject(PLANS_SERVICE) private readonly plans: PlansService,
  ) {}

  @Doc({
    summary:
      "The caller's city directory: its agencies (id, name, kind, parent, aliases; ?all=true: the inactive and merged too), the current leaders' names (leaders) and each leader (leadership: id, name, title, fields; ?all=true: the relieved too)",
  })
  @Requires('plans.read')
  @Get()
  async read(@CurrentActor() actor: RequestActor, @Query() query: unknown, @Res({ passthrough: true }) res: Response) {
    const view = await this.directory.of(actor.cityId);
    res.setHeader('ETag', etag(view.version));
    return directoryResource(view, parseInput(listQuery, query).all === 'true');
  }

  @Doc({ summary: 'The directory as a spreadsheet the import reads back (?format=xlsx|csv)' })
  @Requires('plans.read')
  @Get('export')
  async export(@CurrentActor() actor: RequestActor, @Query() query: unknown, @Res() res: Response) {
    const { format } = parseInput(exportQuery, query);
    const file = await writeDirectoryFile(await this.directory.of(actor.cityId), cityOf(actor.cityId)?.name ?? actor.cityId, format);
    res.setHeader('Content-Type', format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="danh-ba-${actor.cityId}.${format}"`);
    res.end(file);
  }

  @Doc({
    summary: "The directory's changes, oldest first: who added, renamed, moved, deactivated or merged what, appointed, retitled or relieved whom, when and why",
  })
  @Requires('plans.read')
  @Get('history')
  async history(@CurrentActor() actor: RequestActor) {
    return { items: (await this.directory.history(actor.cityId)).map(historyItem) };
  }

  @Doc({
    summary:
      'Imports the directory from the spreadsheet the office keeps (body: XLSX or UTF-8 CSV; columns Mã, Tên cơ quan, đơn vị, Loại, Trực thuộc (mã), Tên khác): new agencies added, names renamed, aliases and parents set, as one change; any bad row refuses the whole file (422, every line named). ?dryRun=true: what it would change',
  })
  @Requires('directory.manage')
  @Post('import')
  @HttpCode(200)
  async import(@CurrentActor() actor: RequestActor, @CommandOrigin() origin: CommandOrigin, @Query() query: unknown, @Req() req: Request) {
    const input = parseInput(importQuery, query);
    const rows = await readDirectoryFile(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
    if (input.dryRun === 'true') {
      const events = await this.directory.preview(rows, input.reason, actor);
      return { dryRun: true, rows: rows.length, changes: summary(events) };
    }
    const { view, events } = await this.directory.execute({ type: 'ImportDirectory', data: { rows, reason: input.reason } }, actor, origin);
    return { dryRun: false, rows: rows.length, changes: summary(events), version: view.version.toString() };
  }

  @Doc({ summary: 'Adds an agency to the directory', body: addBody })
  @Requires('directory.manage')
  @Post('agencies')
  @HttpCode(201)
  async add(@CurrentActor() actor: RequestActor, @CommandOrigin() origin: CommandOrigin, @Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    const { id, ...input } = parseInput(addBody, body);
    const { view } = await this.directory.execute({ type: 'AddAgency', data: { agencyId: id, ...input } }, actor, origin);
    res.setHeader('Location', `/api/v1/directory/agencies/${id}`);
    return this.agency(view, id);
  }

  @Doc({ summary: 'One agency of the directory' })
  @Requires('plans.read')
  @Get('agencies/:agencyId')
  async one(@CurrentActor() actor: RequestActor, @Param('agencyId') agencyId: string) {
    return this.agency(await this.directory.of(actor.cityId), agencyId);
  }

  @Doc({ summary: 'Renames an agency (the former name stays an alias), with a reason', body: renameBody })
  @Requires('directory.manage')
  @Post('agencies/:agencyId/rename')
  @HttpCode(200)
  async rename(@CurrentActor() actor: RequestActor, @CommandOrigin() origin: CommandOrigin, @Param('agencyId') agencyId: string, @Body() body: unknown) {
    const { view } = await this.directory.execute({ type: 'RenameAgency', data: { agencyId, ...parseInput(renameBody, body) } }, actor, origin);
    return this.agency(view, agencyId);
  }

  @Doc({ summary: 'Adds another name the agency is written under', body: aliasBody })
  @Requires('directory.manage')
  @Post('agencies/:agencyId/aliases')
  @HttpCode(200)
  async alias(@CurrentActor() actor: RequestActor, @CommandOrigin() origin: CommandOrigin, @Param('agencyId') agencyId: string, @Body() body: unknown) {
    const { view } = await this.directory.execute({ type: 'AddAgencyAlias', data: { agencyId, ...parseInput(aliasBody, body) } }, actor, origin);
    return this.agency(view, agencyId);
  }

  @Doc({ summary: 'Puts the agency under another (a unit of a department, an office of a commune UBND), or at the top with null', body: moveBody })
  @Requires('directory.manage')
  @Post('agencies/:agencyId/move')
  @HttpCode(200)
  async move(@CurrentActor() actor: RequestActor, @CommandOrigin() origin: CommandOrigin, @Param('agencyId') agencyId: string, @Body() body: unknown) {
    const { view } = await this.directory.execute({ type: 'MoveAgency', data: { agencyId, ...parseInput(moveBody, body) } }, actor, origin);
    return this.agency(view, agencyId);
  }

  @Doc({ summary: 'Deactivates an agency (it stays in the history; its names no longer resolve), with a reason', body: reasonBody })
  @Requires('directory.manage')
  @Post('agencies/:agencyId/deactivate')
  @HttpCode(200)
  async deactivate(@CurrentActor() actor: RequestActor, @CommandOrigin() origin: CommandOrigin, @Param('agencyId') agencyId: string, @Body() body: unknown) {
    const { view } = await this.directory.execute({ type: 'DeactivateAgency', data: { agencyId, ...parseInput(reasonBody, body) } }, actor, origin);
    return this.agency(view, agencyId);
  }

  @Doc({
    summary:
      'Merges agencies into a successor from a day: the predecessors become inactive, their names resolve to it, and their open tasks pass to it (TaskAssigned citing the merger); answers how many moved',
    body: mergerBody,
  })
  @Requires('directory.manage')
  @Post('mergers')
  @HttpCode(201)
  async merge(@CurrentActor() actor: RequestActor, @CommandOrigin() origin: CommandOrigin, @Body() body: unknown) {
    const input = parseInput(mergerBody, body);
    const { view } = await this.directory.execute({ type: 'MergeAgencies', data: input }, actor, origin);
    const predecessors = input.predecessorIds.map((id) => this.agency(view, id));
    const successor = this.agency(view, input.successorId);
    const { moved } = await this.handOver(view, input.predecessorIds, input.successorId, actor, origin.correlationId);
    return { successor, predecessors, tasksMoved: moved };
  }

  @Doc({
    summary: 'Passes the open tasks still held by a merged agency to where its work goes now (again after an interrupted merger: a task moved already is left)',
  })
  @Requires('directory.manage')
  @Post('agencies/:agencyId/hand-over')
  @HttpCode(200)
  async handOverAgain(@CurrentActor() actor: RequestActor, @CommandOrigin() origin: CommandOrigin, @Param('agencyId') agencyId: string) {
    const view = await this.directory.of(actor.cityId);
    const agency = view.agencies.find((a) => a.agencyId === agencyId);
    if (!agency) throw new NotFoundError(`No agency "${agencyId}" in this city's directory`, 'agency-not-found');
    const heir = currentAgencyOf(view, agencyId);
    if (agency.active || !agency.successor || !heir) throw new IllegalStateError(`${agency.name} was not merged into another agency`, 'agency-not-merged');
    return { successor: agencyResource(heir), tasksMoved: (await this.handOver(view, [agencyId], heir.agencyId, actor, origin.correlationId)).moved };
  }

  @Doc({
    summary: "Appoints a leader of the city's UBND (Chủ tịch, Phó Chủ tịch): name, title, the fields they direct; plans naming them then resolve to them",
    body: appointBody,
  })
  @Requires('directory.manage')
  @Post('leaders')
  @HttpCode(201)
  async appoint(@CurrentActor() actor: RequestActor, @CommandOrigin() origin: CommandOrigin, @Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    const input = parseInput(appointBody, body);
    const { view, events } = await this.directory.execute({ type: 'AppointLeader', data: { leaderId: randomUUID(), ...input } }, actor, origin);
    // A retry of the same command (Idempotency-Key) answers the leader it appointed, not the id drawn now.
    const id = (events[0] as LeaderAppointed).data.leader.leaderId;
    res.setHeader('Location', `/api/v1/directory/leaders/${id}`);
    return this.leader(view, id);
  }

  @Doc({ summary: 'One leader of the directory, current or relieved' })
  @Requires('plans.read')
  @Get('leaders/:leaderId')
  async oneLeader(@CurrentActor() actor: RequestActor, @Param('leaderId') leaderId: string) {
    return this.leader(await this.directory.of(actor.cityId), leaderId);
  }

  @Doc({ summary: "Changes a leader's title (Phó Chủ tịch elected Chủ tịch), with a reason", body: titleBody })
  @Requires('directory.manage')
  @Post('leaders/:leaderId/title')
  @HttpCode(200)
  async retitle(@CurrentActor() actor: RequestActor, @CommandOrigin() origin: CommandOrigin, @Param('leaderId') leaderId: string, @Body() body: unknown) {
    const { view } = await this.directory.execute({ type: 'ChangeLeaderTitle', data: { leaderId, ...parseInput(titleBody, body) } }, actor, origin);
    return this.leader(view, leaderId);
  }

  @Doc({
    summary: 'Relieves a leader (miễn nhiệm, thôi giữ chức), with a reason: no longer offered as a current leader; plans naming them still resolve',
    body: reasonBody,
  })
  @Requires('directory.manage')
  @Post('leaders/:leaderId/relieve')
  @HttpCode(200)
  async relieve(@CurrentActor() actor: RequestActor, @CommandOrigin() origin: CommandOrigin, @Param('leaderId') leaderId: string, @Body() body: unknown) {
    const { view } = await this.directory.execute({ type: 'RelieveLeader', data: { leaderId, ...parseInput(reasonBody, body) } }, actor, origin);
    return this.leader(view, leaderId);
  }

  /** The predecessors' open tasks to the successor, the reason naming the merger as the directory recorded it. */
  private handOver(view: DirectoryView, predecessorIds: readonly string[], successorId: string, actor: RequestActor, correlationId: string) {
    const successor = view.agencies.find((a) => a.agencyId === successorId)!;
    const names = predecessorIds.map((id) => view.agencies.find((a) => a.agencyId === id)?.name ?? id);
    const effectiveOn = view.agencies.find((a) => a.agencyId === predecessorIds[0])?.successor?.effectiveOn;
    const day = effectiveOn ? ` từ ngày ${effectiveOn.split('-').reverse().join('/')}` : '';
    return this.plans.handOver(
      {
        predecessorIds,
        successor: { agencyId: successor.agencyId, name: successor.name, text: successor.name, resolution: 'resolved' },
        reason: `Sáp nhập ${names.join(', ')} vào ${successor.name}${day}`,
        effectiveOn: effectiveOn ?? null,
      },
      actor,
      correlationId,
    );
  }

  private leader(view: DirectoryView, leaderId: string) {
    const leader = view.leaders.find((l) => l.leaderId === leaderId);
    if (!leader) throw new NotFoundError(`No leader "${leaderId}" in this city's directory`, 'leader-not-found');
    return leaderResource(leader);
  }

  private agency(view: DirectoryView, agencyId: string) {
    const agency = view.agencies.find((a) => a.agencyId === agencyId);
    if (!agency) throw new NotFoundError(`No agency "${agencyId}" in this city's directory`, 'agency-not-found');
    return agencyResource(agency);
  }
}

/** What an import changed, counted by kind of change. */
const summary = (events: readonly { type: string }[]) => {
  const count = (type: string) => events.filter((e) => e.type === type).length;
  return { added: count('AgencyAdded'), renamed: count('AgencyRenamed'), aliasesAdded: count('AgencyAliasAdded'), moved: count('AgencyMoved') };
};
