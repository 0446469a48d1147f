import { collapse, foldVietnamese } from '../vietnamese-text';

/** A task the plan holds now, as the amendment compares it. */
export type CurrentTask = { readonly taskId: string; readonly ref: string; readonly title: string };

export type TaskCorrespondence = {
  /** For each task of the new version (by index), the task it continues, or null when it is new. */
  readonly continues: readonly (string | null)[];
  /** Tasks of the current version the new one no longer holds. */
  readonly dropped: readonly CurrentTask[];
};

const words = (title: string): Set<string> =>
  new Set(
    foldVietnamese(collapse(title))
      .split(/[^a-z0-9]+/)
      .filter((w) => w.length > 1),
  );

/** Share of words two titles have in common (Jaccard): rewording keeps it high, another task does not. */
const likeness = (a: string, b: string): number => {
  const x = words(a);
  const y = words(b);
  if (x.size === 0 && y.size === 0) return 1;
  let common = 0;
  for (const w of x) if (y.has(w)) common++;
  return common / (x.size + y.size - common);
};

const SAME_TASK = 0.5;

/**
 * Which task of the new version of a document continues which task of the current one. Rows get
 * renumbered when one is inserted or dropped, so a task is followed by its title first (same title
 * anywhere), then by its number when the title was only reworded; the rest are new or dropped.
 */
export const correspondTasks = (current: readonly CurrentTask[], next: readonly { ref: string; title: string }[]): TaskCorrespondence => {
  const continues: (string | null)[] = next.map(() => null);
  const taken = new Set<string>();
  const key = (title: string) => foldVietnamese(collapse(title));
  const byTitle = new Map<string, CurrentTask[]>();
  for (const task of current) byTitle.set(key(task.title), [...(byTitle.get(key(task.title)) ?? []), task]);
  next.forEach((task, i) => {
    const candidates = (byTitle.get(key(task.title)) ?? []).filter((c) => !taken.has(c.taskId));
    // Among equal titles, the one with the same number first.
    const match = candidates.find((c) => c.ref === task.ref) ?? candidates[0];
    if (match) {
      continues[i] = match.taskId;
      taken.add(match.taskId);
    }
  });
  next.forEach((task, i) => {
    if (continues[i]) return;
    const sameRef = current.find((c) => c.ref === task.ref && !taken.has(c.taskId));
    if (sameRef && likeness(sameRef.title, task.title) >= SAME_TASK) {
      continues[i] = sameRef.taskId;
      taken.add(sameRef.taskId);
    }
  });
  return { continues, dropped: current.filter((c) => !taken.has(c.taskId)) };
};
