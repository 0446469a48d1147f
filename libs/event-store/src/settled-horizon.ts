/**
 * How a reader of the log knows where it may stop without skipping an event: log order is
 * (transaction_id, global_position), so an event is final only once every transaction that could
 * still add a lower one has ended. PostgreSQL's snapshot xmin says that for every running
 * transaction of the cluster, including those that never write a log (a consumer updating its
 * read model for half a second holds every reader of every log back by as much). A transaction
 * that takes the shared "writes no log" advisory lock is left out of the horizon: leaving a
 * non-writer out is always safe, and a transaction that has not said so (every log writer) is
 * always counted.
 */
const NO_LOG_WRITES = { classid: 0x4d414e44 /* 'MAND' */, objid: 1 } as const;

/** Said at the start of a transaction that will not append to any event log (a consumer's batch). */
export const DECLARE_NO_LOG_WRITES = `SELECT pg_advisory_xact_lock_shared(${NO_LOG_WRITES.classid}, ${NO_LOG_WRITES.objid})`;

/**
 * The first transaction id a reader must not pass: the oldest transaction running in this
 * statement's snapshot that has not declared it writes no log (the declared ones found through
 * their own transaction-id lock), or the snapshot's xmax when none runs. A transaction that ended
 * between the snapshot and the lock scan still counts: conservative, never a skip.
 */
export const SETTLED_HORIZON_SQL = `(
  SELECT coalesce(min(x), pg_snapshot_xmax(pg_current_snapshot()))
    FROM pg_snapshot_xip(pg_current_snapshot()) AS x
   WHERE (x::text::numeric % 4294967296)::bigint NOT IN (
     SELECT t.transactionid::text::bigint
       FROM pg_locks k JOIN pg_locks t ON t.pid = k.pid AND t.locktype = 'transactionid' AND t.mode = 'ExclusiveLock' AND t.granted
      WHERE k.locktype = 'advisory' AND k.classid = ${NO_LOG_WRITES.classid} AND k.objid = ${NO_LOG_WRITES.objid} AND k.objsubid = 2 AND k.granted))`;
