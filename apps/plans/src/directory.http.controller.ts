import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { AGENCY_KINDS, IllegalStateError, NotFoundError } from '@mandate/kernel';
import { currentAgencyOf } from '@mandate/cities-domain';
import { CommandOrigin, CurrentActor, Doc, etag, parseInput, Requires, type RequestActor } from '@mandate/http';
import { agencyResource, type DirectoryService, type DirectoryView, type PlansService } from '@mandate/plans-app';
import { cityOf } from '@mandate/runtime';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { readDirectoryFile, writeDirectoryFile } from './directory-file';
import { readLeaders } from './seed';
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
const listQuery = z.object({ all: z.enum(['true', 'false']).optional() });
const exportQuery = z.object({ format: z.enum(['xlsx', 'csv']).default('xlsx') });
const importQuery = z.object({ dryRun: z.enum(['true', 'false']).default('false'), reason: z.string().max(4000).default('Nhập danh bạ từ tệp') });

const directoryResource = (view: DirectoryView, all: boolean) => ({
  cityId: view.cityId,
  version: view.version.toString(),
  agencies: view.agencies.filter((a) => all || a.active).map(agencyResource),
  leaders: readLeaders(view.cityId),
});

/**
 * A city's directory of agencies, kept by its office as events of its log (`directory-<city>`):
 * read by everyone of the city, changed by the office one agency at a time or from the spreadsheet
 * it keeps (XLSX or CSV), exported in the same form.
 */
@Controller('api/v1/directory')
export class DirectoryHttpController {
  constructor(
    @Inject(DIRECTORY_SERVICE) private readonly directory: DirectoryService,
    @Inject(PLANS_SERVICE) private readonly plans: PlansService,
  ) {}

  @Doc({ summary: "The caller's city directory: its agencies (id, name, kind, parent, aliases; ?all=true: the inactive and merged too) and leaders" })
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

  @Doc({ summary: "The directory's changes, oldest first: who added, renamed, moved, deactivated or merged what, when and why" })
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

  @Doc({ summary: "Passes the open tasks still held by a merged agency to where its work goes now (again after an interrupted merger: a task moved already is left)" })
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

  /** The predecessors' open tasks to the successor, the reason naming the merger as the directory recorded it. */
  private handOver(view: DirectoryView, predecessorIds: readonly string[], successorId: string, actor: RequestActor, correlationId: string) {
    const successor = view.agencies.find((a) => a.agencyId === successorId)!;
    const names = predecessorIds.map((id) => view.agencies.find((a) => a.agencyId === id)?.name ?? id);
    const effectiveOn = view.agencies.find((a) => a.agencyId === predecessorIds[0])?.successor?.effectiveOn;
    const day = effectiveOn ? ` từ ngày ${effectiveOn.split('-').reverse().join('/')}` : '';
    return this.plans.handOver(
      predecessorIds,
      { agencyId: successor.agencyId, name: successor.name, text: successor.name, resolution: 'resolved' },
      `Sáp nhập ${names.join(', ')} vào ${successor.name}${day}`,
      actor,
      correlationId,
    );
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
