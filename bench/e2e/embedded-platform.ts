// The embedded platform of the e2e bench, in a child process of its own (forked by bench/e2e.bench.ts,
// with --cpu-prof when profiling), so neither the driver nor the bench shares its event loop.
import { embeddedDeployment } from '../../apps/cli/src/testing/deployments';

const main = async () => {
  const deployment = await embeddedDeployment();
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // A normal exit, so --cpu-prof writes its profile.
    void deployment.stop().finally(() => process.exit(0));
  };
  process.on('message', (message: { type: string }) => message.type === 'stop' && stop());
  // The bench died: drop the database rather than linger.
  process.on('disconnect', stop);
  process.send!({ type: 'ready', url: deployment.url(), databaseUrl: deployment.db.url });
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
