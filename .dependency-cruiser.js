// The architecture's arrows, checked by `npm run deps:check` (part of `npm test`).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'libs-never-import-apps',
      severity: 'error',
      comment: 'Libraries are shared code; services and the CLI build on them, never the other way.',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'services-are-independent',
      severity: 'error',
      comment: 'A service talks to another only through events; it never imports its code.',
      from: { path: '^apps/(plans|assignments|reporting|notifications|gateway)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'contexts-meet-only-through-contracts',
      severity: 'error',
      comment: "Another context's domain or app code is off limits; its contracts are not.",
      from: { path: '^libs/(assignments|reporting|notifications)/' },
      to: { path: '^libs/plans/(domain|app)/' },
    },
    {
      name: 'consumers-never-import-the-plans-app',
      severity: 'error',
      comment: 'Other services keep their own logs (the event store is infrastructure), never the plans code.',
      from: { path: '^apps/(assignments|reporting|notifications)/' },
      to: { path: '^libs/(plans/(domain|app)|plan-import)/' },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'Deciders are plain functions: no framework, no database, no broker.',
      from: { path: '^libs/[^/]+/domain/' },
      to: { path: 'node_modules/(@nestjs|typeorm|pg|kafkajs|redis|ioredis|express)/' },
    },
    {
      name: 'infra-libs-move-opaque-events',
      severity: 'error',
      comment: 'The event store and messaging never know a domain type.',
      from: { path: '^libs/(event-store|messaging)/' },
      to: { path: '^libs/(plans|assignments|reporting|notifications|plan-import)/' },
    },
    {
      name: 'contracts-depend-on-nothing-internal',
      severity: 'error',
      from: { path: '^libs/[^/]+/contracts/' },
      to: { path: '^libs/', pathNot: ['^libs/[^/]+/contracts/', '^libs/shared/kernel/'] },
    },
    {
      name: 'importer-only-produces-plans-types',
      severity: 'error',
      from: { path: '^libs/plan-import/' },
      to: { path: '^libs/', pathNot: ['^libs/plan-import/', '^libs/plans/domain/', '^libs/shared/kernel/'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.spec\\.ts$|/testing/' },
    tsConfig: { fileName: 'tsconfig.base.json' },
    tsPreCompilationDeps: true,
  },
};
