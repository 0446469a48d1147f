import 'reflect-metadata';
import { Command, InvalidArgumentError } from 'commander';
import { isCityId, ROLES, type Role } from '@mandate/kernel';
import type { ImportCommandOptions } from './import';

/**
 * What the commands need, loaded by the command that needs it: the runtime alone (configuration, logger)
 * brings TypeORM, pg, redis and zod with it, the HTTP library Nest and Express. `mandate --help` and a
 * mistyped option load none of it (0.2 s instead of 1 s compiled).
 */
const runtime = () => import('@mandate/runtime');
const secrets = () => import('./secret');

/**
 * Stops cleanly on SIGINT/SIGTERM, listening from before the start: a signal that comes while the
 * platform starts (or right after it says it is ready) waits for the start, then stops it, instead of
 * meeting no listener and killing the process with its databases half closed.
 */
const stopOnSignals = (logger: { info(fields: object, message: string): void }, stop: () => Promise<unknown>) => {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
};

const program = new Command('mandate').description('Mandate: city action plans, their tasks and their audit trail');

program
  .command('start')
  .description('run the whole platform in one process (embedded PostgreSQL unless DATABASE_URL is set)')
  .action(async () => {
    const config = (await runtime()).loadConfig();
    const logger = (await runtime()).createLogger(config.LOG_LEVEL);
    const { startEmbeddedPlatform } = await import('./platform');
    const starting = startEmbeddedPlatform({ config, logger });
    stopOnSignals(logger, () => starting.then((platform) => platform.stop()));
    await starting;
  });

const SERVICES = ['gateway', 'plans', 'assignments', 'reporting', 'notifications'] as const;
type ServiceName = (typeof SERVICES)[number];

program
  .command('serve')
  .description('run one service of the distributed deployment (Kafka, PostgreSQL, Redis)')
  .argument('<service>', SERVICES.join(' | '))
  .action(async (service: string) => {
    if (!(SERVICES as readonly string[]).includes(service))
      throw new (await runtime()).ConfigError(`Unknown service "${service}"; one of ${SERVICES.join(', ')}`);
    const config = (await runtime()).loadConfig();
    const logger = (await runtime()).createLogger(config.LOG_LEVEL, `mandate-${service}`);
    const { serve } = await import('./serve');
    const starting = serve(service as ServiceName, config, logger, (await secrets()).jwtSecret(config));
    stopOnSignals(logger, () => starting.then((running) => running.stop()));
    const running = await starting;
    logger.info({ url: running.url, service }, 'Mandate service is ready');
  });

const dlq = program.command('dlq').description('inspect and re-drive messages the consumers set aside (distributed mode)');

dlq
  .command('list')
  .option('--topic <topic>', 'only this topic (e.g. mandate.tasks.v1)')
  .option('--json', 'machine-readable output')
  .action(async (options: { topic?: string; json?: boolean }) => {
    const config = (await runtime()).loadConfig();
    const { listDeadLetters } = await import('./dlq');
    await listDeadLetters(config, (await runtime()).createLogger('error', 'mandate-cli'), options);
  });

dlq
  .command('replay')
  .option('--topic <topic>', 'only this topic')
  .option('--id <eventId>', 'only this event')
  .option('--group <group>', 'only letters set aside by this consumer group')
  .action(async (options: { topic?: string; id?: string; group?: string }) => {
    const config = (await runtime()).loadConfig();
    const { replay } = await import('./dlq');
    await replay(config, (await runtime()).createLogger('error', 'mandate-cli'), options);
  });

const cities = program
  .command('cities')
  .description("the cities a running deployment serves: the platform operator's log (list, show, create, change, suspend, resume, merge, history)");
const connection = (command: Command) =>
  command
    .option('--url <url>', 'the deployment (default: MANDATE_URL or http://127.0.0.1:$PORT)')
    .option('--token <token>', 'a token of the platform operator (default: MANDATE_TOKEN, or a dev token outside production)')
    .option('--json', "print the API's answer as JSON");
const dayNumber =
  (max: number) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > max) throw new InvalidArgumentError(`a whole number from 0 to ${max}`);
    return n;
  };
const settingsOptions = (command: Command) =>
  command
    .option('--name <name>', 'its name, e.g. "Tỉnh Quảng Ninh"')
    .option('--level <level>', 'province (tỉnh) or city (thành phố trực thuộc trung ương)')
    .option('--time-zone <zone>', 'IANA time zone (default Asia/Ho_Chi_Minh)')
    .option('--due-soon-days <n>', 'days before a due date a task shows as due soon', dayNumber(60))
    .option('--cutoff-day <n>', "reporting calendar: the day periods' data start (NĐ 09: 15)", dayNumber(28))
    .option('--due-day <n>', 'reporting calendar: the day reports are due (NĐ 09: 20)', dayNumber(31))
    .option('--identity-issuer <url>', "the city's own identity provider (its SSO): the iss of its tokens")
    .option('--identity-audience <client>', "the client id Mandate's tokens are issued for there (with --identity-issuer)", 'mandate')
    .option('--identity-jwks-url <url>', 'where its signing keys are (default: found through its discovery document)')
    .option('--identity-claims <city,role,agency>', 'the claims carrying city, role and agency (default mandate_city,mandate_role,mandate_agency)')
    .option('--no-identity-provider', "take the city's own identity provider away: its users sign in through the deployment's");
type CitiesCli = import('./cities').CitiesConnection & import('./cities').CitySettingsOptions & { reason: string };

connection(cities.command('list').description('every city, with its status and settings')).action(async (options: CitiesCli) => {
  await (await import('./cities')).listCities((await runtime()).loadConfig(), options);
});
connection(cities.command('show').description("one city's settings").argument('<city>', 'its id')).action(async (cityId: string, options: CitiesCli) => {
  await (await import('./cities')).showCity((await runtime()).loadConfig(), options, cityId);
});
connection(cities.command('history').description("one city's operator log: who changed what, when and why").argument('<city>', 'its id')).action(
  async (cityId: string, options: CitiesCli) => {
    await (await import('./cities')).cityHistory((await runtime()).loadConfig(), options, cityId);
  },
);
settingsOptions(
  connection(
    cities
      .command('create')
      .description('create a city: every service serves it from now on, no restart')
      .argument('<city>', 'its id: a-z, 0-9 and "-", e.g. quang-ninh'),
  ),
)
  .requiredOption('--reason <text>', 'why (kept in the operator log)')
  .action(async (cityId: string, options: CitiesCli) => {
    await (await import('./cities')).createCity((await runtime()).loadConfig(), options, cityId);
  });
settingsOptions(connection(cities.command('change').description("change some of a city's settings").argument('<city>', 'its id')))
  .requiredOption('--reason <text>', 'why (kept in the operator log)')
  .action(async (cityId: string, options: CitiesCli) => {
    await (await import('./cities')).changeCity((await runtime()).loadConfig(), options, cityId);
  });
for (const action of ['suspend', 'resume'] as const) {
  connection(
    cities
      .command(action)
      .description(action === 'suspend' ? 'suspend a city: its users and keys are refused, nothing is lost' : 'resume a suspended city')
      .argument('<city>', 'its id'),
  )
    .requiredOption('--reason <text>', 'why (kept in the operator log)')
    .action(async (cityId: string, options: CitiesCli) => {
      await (await import('./cities')).suspendOrResumeCity((await runtime()).loadConfig(), options, cityId, action);
    });
}

connection(
  cities
    .command('merge')
    .description('merge a city into another: its plans and tasks go on there, its users are refused')
    .argument('<city>', 'the merged city'),
)
  .requiredOption('--into <city>', 'the successor city')
  .requiredOption('--reason <text>', 'why (kept in the operator log)')
  .option('--effective-on <YYYY-MM-DD>', 'the day the merger took effect (cited in the hand-overs)')
  .option(
    '--agency <from=to>',
    'an agency of the merged city whose open tasks pass to an agency of the successor (repeat)',
    (value: string, all: string[] = []) => [...all, value],
  )
  .action(async (cityId: string, options: CitiesCli & { into: string; effectiveOn?: string; agency?: string[] }) => {
    await (await import('./cities')).mergeCity((await runtime()).loadConfig(), options, cityId);
  });

const role = (value: string): Role => {
  if (!(ROLES as readonly string[]).includes(value)) throw new InvalidArgumentError(`one of ${ROLES.join(', ')}`);
  return value as Role;
};

program
  .command('token')
  .description('print a bearer token for a dev or embedded deployment')
  .requiredOption('--city <city>', 'city (tenant) id, e.g. ha-noi or hai-phong')
  .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`, role)
  .option('--agency <id>', 'agency id (required for role agency)')
  .option('--user <id>', 'user id carried as the actor of events')
  .option('--ttl <duration>', 'lifetime, e.g. 12h or 30d', '12h')
  .action(async (options: { city: string; role: Role; agency?: string; user?: string; ttl: string }) => {
    const config = (await runtime()).loadConfig();
    if (config.NODE_ENV === 'production') {
      throw new (await runtime()).ConfigError('mandate token is refused in production: tokens come from the identity provider');
    }
    // Which cities a deployment serves is its operator log's to say (it refuses a token of any other);
    // offline, only the form of the id can be checked.
    if (options.role !== 'operator' && !isCityId(options.city))
      throw new (await runtime()).ConfigError(`"${options.city}" is not a city id (a-z, 0-9 and "-")`);
    const directory = (await import('../../plans/src/seed')).readDirectory(options.city);
    if (options.agency && directory.length > 0 && !directory.some((a) => a.id === options.agency)) {
      throw new (await runtime()).ConfigError(`Agency "${options.agency}" is not in the directory of ${options.city} (seeds/agencies/${options.city}.json)`);
    }
    const userId = options.user ?? `${options.role}@${options.agency ?? options.city}`;
    const token = await (
      await import('@mandate/http')
    ).signToken((await secrets()).jwtSecret(config), { userId, role: options.role, agencyId: options.agency ?? null, cityId: options.city }, options.ttl);
    process.stdout.write(`${token}\n`);
  });

program
  .command('parse')
  .description('read a plan or directive (Word .docx/.doc, PDF, a scan, a web page or UTF-8 text) and print what the importer finds in it; stores nothing')
  .argument('[file]', 'the document')
  .option('--city <city>', "resolve agencies against this city's directory (default: the city that resolves most)")
  .option('--json', 'print only the ParsedPlan as JSON')
  .option('--report <folder>', 'parse every document under the folder and report how well each was read (against <file>.truth.json beside it, if any)')
  .option(
    '--corrections <file>',
    'a JSON file of corrections (ImportCorrections: document number/date/title, per task title/lead/coordinators/deadline/drop, tasks to add), applied as the import applies them',
  )
  .action(async (file: string | undefined, options: { city?: string; json?: boolean; report?: string; corrections?: string }) => {
    if (options.report !== undefined) {
      const { buildReport, renderReport } = await import('./parse-report');
      const report = await buildReport(options.report, options);
      process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
      return;
    }
    const { parseFile, renderSummary, InputError } = await import('./parse');
    if (file === undefined) throw new InputError('parse needs a document, or --report <folder>');
    const { parsed, cityId } = await parseFile(file, options);
    process.stdout.write(options.json ? `${JSON.stringify(parsed, null, 2)}\n` : renderSummary(parsed, cityId));
  });

program
  .command('import')
  .description('import a plan or directive into a running deployment through its API (issues it, or records an amendment)')
  .argument('<file>', 'the document (Word .docx/.doc, PDF, a scan, a web page or UTF-8 text)')
  .requiredOption('--city <city>', 'the city whose plan it is')
  .option('--url <url>', 'the deployment (default: MANDATE_URL or http://127.0.0.1:$PORT)')
  .option('--token <token>', 'an office token of the city (default: MANDATE_TOKEN, or a dev token outside production)')
  .option('--dry-run', 'parse on the server and store nothing')
  .option('--number <number>', 'the document number (số hiệu), when the document leaves it blank ("Số:      /KH-UBND")')
  .option('--issued-on <date>', 'the issue date (YYYY-MM-DD), when the document leaves it blank')
  .option('--amends <planId>', 'the plan this version amends, whatever its number says (the signed version of a plan imported without its number)')
  .option('--corrections <file>', 'a JSON file of corrections (ImportCorrections), sent with the document and applied before the import or preview')
  .option('--json', "print the API's answer as JSON")
  .action(async (file: string, options: ImportCommandOptions) => {
    const { importFile } = await import('./import');
    await importFile(file, (await runtime()).loadConfig(), options);
  });

program
  .command('projections')
  .description('rebuild read models from the event log')
  .command('rebuild')
  .argument('[name]', 'the read model (plans); all when omitted')
  .action(async (name: string | undefined) => {
    const config = (await runtime()).loadConfig();
    const { rebuildProjections } = await import('./projections');
    await rebuildProjections(name, config, (await runtime()).createLogger('error', 'mandate-cli'));
  });

const count = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number from 1');
  return n;
};

program
  .command('generate')
  .description('write a large multi-city data set to the plans log (for benchmarks), then rebuild the read model')
  .option('--cities <n>', 'cities', count, 50)
  .option('--plans <n>', 'plans per city', count, 20)
  .option('--tasks <n>', 'tasks per plan', count, 100)
  .option('--events-per-task <n>', 'events per task (at least 2)', count, 10)
  .action(async (options: { cities: number; plans: number; tasks: number; eventsPerTask: number }) => {
    const config = (await runtime()).loadConfig();
    const { generateDataSet } = await import('./projections');
    await generateDataSet(options, config, (await runtime()).createLogger('error', 'mandate-cli'));
  });

const auditDay = (value: string): string => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw new InvalidArgumentError('a date, YYYY-MM-DD');
  return value;
};

const audit = program.command('audit').description('the audit trail: daily anchors, verification, signed exports');

audit
  .command('anchor')
  .description("anchor the closed days not anchored yet (a Merkle root of each day's events per city), then sign a checkpoint of each city's log")
  .option('--city <city>', 'only this city (default: every city of the log)')
  .action(async (options: { city?: string }) => {
    const { anchorDays } = await import('./audit');
    await anchorDays(options, (await runtime()).loadConfig(), (await runtime()).createLogger('error', 'mandate-cli'));
  });

audit
  .command('verify')
  .description("recompute the city's hash chains, daily anchors and signed checkpoints; exit status 1 when something is broken")
  .requiredOption('--city <city>', 'the city')
  .option('--require-checkpoint', 'exit status 3 when nothing is broken but no signed checkpoint covers the log')
  .action(async (options: { city: string; requireCheckpoint?: boolean }) => {
    const { verifyCity } = await import('./audit');
    await verifyCity(options, (await runtime()).loadConfig(), (await runtime()).createLogger('error', 'mandate-cli'));
  });

audit
  .command('export')
  .description("write the city's signed audit export (events, chains, anchors, Ed25519 signature)")
  .requiredOption('--city <city>', 'the city')
  .option('--from <date>', 'first day, YYYY-MM-DD (default: the day of its first event)', auditDay)
  .option('--to <date>', 'last day, YYYY-MM-DD (default: today)', auditDay)
  .requiredOption('--out <file>', 'where to write it')
  .action(async (options: { city: string; from?: string; to?: string; out: string }) => {
    const config = (await runtime()).loadConfig();
    const [{ exportCity }, { auditSigningKey }] = await Promise.all([import('./audit'), secrets()]);
    await exportCity(options, config, (await runtime()).createLogger('error', 'mandate-cli'), () => auditSigningKey(config));
  });

audit
  .command('verify-export')
  .description('check a signed audit export offline (no database); exit status 1 when it does not verify')
  .argument('<file>', 'the export')
  .option('--public-key <file>', "the deployment's public key (PEM) to pin, as `mandate audit public-key` prints it")
  .action(async (file: string, options: { publicKey?: string }) => {
    const { verifyExportFile } = await import('./audit');
    verifyExportFile(file, options);
  });

audit
  .command('public-key')
  .description("print the deployment's audit export verification key (SPKI PEM)")
  .action(async () => {
    const config = (await runtime()).loadConfig();
    const [{ printPublicKey }, { auditSigningKey }] = await Promise.all([import('./audit'), secrets()]);
    printPublicKey(() => auditSigningKey(config));
  });

program
  .command('privacy')
  .description("a person's personal data")
  .command('erase')
  .description('erase what Mandate keeps of a person outside the log (notification preferences) and name the steps left')
  .requiredOption('--city <city>', 'the city')
  .requiredOption('--user <id>', "the person's user id (the identity provider's subject)")
  .action(async (options: { city: string; user: string }) => {
    const { erasePerson } = await import('./privacy');
    await erasePerson(options, (await runtime()).loadConfig(), (await runtime()).createLogger('error', 'mandate-cli'));
  });

program.parseAsync(process.argv).catch(async (error: unknown) => {
  const { describeFailure } = await import('./failure');
  process.stderr.write(`mandate: ${describeFailure(error)}\n`);
  const [{ InputError }, { ConfigError }] = await Promise.all([import('./parse'), runtime()]);
  process.exit(error instanceof ConfigError || error instanceof InputError ? 2 : 1);
});
