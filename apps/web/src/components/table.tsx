import type { ReactNode } from 'react';

/** A column header; false, null or undefined leave the column out (a column some readers do not get). */
export type Column = ReactNode;

const shown = (column: Column) => column !== false && column !== null && column !== undefined;

/** A table's header row, one column header per entry. */
export const TableHead = ({ columns }: { columns: readonly Column[] }) => (
  <thead>
    <tr>
      {columns.filter(shown).map((column, i) => (
        <th key={i} scope="col">
          {column}
        </th>
      ))}
    </tr>
  </thead>
);

type TableProps = {
  head: readonly Column[];
  /** A caption for screen readers (the table's name where no heading names it). */
  caption?: ReactNode;
  className?: string;
  /** Rows are still being added (assistive technology waits before reading it out). */
  busy?: boolean;
  /** The table's bodies (`<tbody>`). */
  children: ReactNode;
};

/** A data table that scrolls sideways on phones (`.table-wrap`), with its header row. */
export const Table = ({ head, caption, className, busy, children }: TableProps) => (
  <div className="table-wrap">
    <table className={className} aria-busy={busy || undefined}>
      {caption !== undefined && <caption className="sr-only">{caption}</caption>}
      <TableHead columns={head} />
      {children}
    </table>
  </div>
);
