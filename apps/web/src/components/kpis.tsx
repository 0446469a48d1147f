import type { HTMLAttributes, ReactNode } from 'react';

/** One key figure: its value (already formatted), its name, a colour class (overdue, due_soon …) and a line under it. */
export type Kpi = {
  key: string;
  name: string;
  value: string;
  tone?: string;
  detail?: ReactNode;
  attributes?: HTMLAttributes<HTMLLIElement> & Record<`data-${string}`, string>;
};

/** A row of key figures (tiles that wrap on phones), as a list. */
export const Kpis = ({
  items,
  className,
  ...attributes
}: { items: readonly Kpi[]; className?: string } & HTMLAttributes<HTMLUListElement> & Record<`data-${string}`, string>) => (
  <ul className={className ? `kpis ${className}` : 'kpis'} {...attributes}>
    {items.map((kpi) => (
      <li key={kpi.key} className="kpi" {...kpi.attributes}>
        <div className={kpi.tone ? `value ${kpi.tone}` : 'value'}>{kpi.value}</div>
        <div className="name">{kpi.name}</div>
        {kpi.detail}
      </li>
    ))}
  </ul>
);
