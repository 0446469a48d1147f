import type { ReactNode } from 'react';

/** An option of a select: its value and what it says. */
export type Option = readonly [value: string, text: string];

type SelectFieldProps = {
  /** The select's id (the label points at it); without one the label holds the select. */
  id?: string;
  /** The label's text (the select's accessible name). */
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  options: readonly Option[];
  /** The text of an empty first option meaning "any" (no filter); none when absent. */
  all?: string;
  className?: string;
};

/** A labelled select (filters, pickers). */
export const SelectField = ({ id, label, value, onChange, options, all, className }: SelectFieldProps) => (
  <label htmlFor={id} className={className}>
    {label}
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
      {all !== undefined && <option value="">{all}</option>}
      {options.map(([optionValue, text]) => (
        <option key={optionValue} value={optionValue}>
          {text}
        </option>
      ))}
    </select>
  </label>
);

type DateFieldProps = {
  id: string;
  /** The label's text (the input's accessible name). */
  label: ReactNode;
  /** The day, YYYY-MM-DD ('' when none). */
  value: string;
  onChange: (day: string) => void;
  /** The last day one may pick (today, for what has happened). */
  max?: string;
  required?: boolean;
};

/** A labelled day picker. */
export const DateField = ({ id, label, value, onChange, max, required }: DateFieldProps) => (
  <label htmlFor={id}>
    {label}
    <input id={id} type="date" required={required} max={max} value={value} onChange={(e) => onChange(e.target.value)} />
  </label>
);
