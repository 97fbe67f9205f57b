/** The search form: one box for id, session, e-mail or amount, and the filters beside it. */
import { useState } from 'react';
import { METHOD_IDS } from '../../core/methods/index.ts';
import { PAYMENT_STATES } from '../../core/status.ts';
import { NO_FILTERS, type Filters } from './api.ts';
import { methodLabel, statusLabel, TYPE_LABEL } from './labels.ts';

function Select(p: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: [string, string][];
}) {
  return (
    <label className="c-field">
      <span className="c-field__label">{p.label}</span>
      <select value={p.value} onChange={(e) => p.onChange(e.target.value)}>
        <option value="">All</option>
        {p.options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

export function SearchForm({ value, onSearch }: { value: Filters; onSearch: (f: Filters) => void }) {
  const [f, setF] = useState<Filters>(value);
  const set = (k: keyof Filters) => (v: string) => setF((old) => ({ ...old, [k]: v }));
  return (
    <form
      role="search"
      aria-label="Payments"
      className="c-search"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(f);
      }}
    >
      <label className="c-field c-search__q">
        <span className="c-field__label">Search</span>
        <input
          type="search"
          value={f.q}
          onChange={(e) => set('q')(e.target.value)}
          placeholder="Payment or session id, customer e-mail, amount"
        />
      </label>
      <Select label="Type" value={f.type} onChange={set('type')} options={Object.entries(TYPE_LABEL)} />
      <Select
        label="Method"
        value={f.method}
        onChange={set('method')}
        options={METHOD_IDS.map((m) => [m, methodLabel(m)])}
      />
      <Select
        label="Status"
        value={f.status}
        onChange={set('status')}
        options={PAYMENT_STATES.map((s) => [s, statusLabel(s)])}
      />
      <label className="c-field">
        <span className="c-field__label">From</span>
        <input type="date" value={f.created_from} onChange={(e) => set('created_from')(e.target.value)} />
      </label>
      <label className="c-field">
        <span className="c-field__label">To</span>
        <input type="date" value={f.created_to} onChange={(e) => set('created_to')(e.target.value)} />
      </label>
      <div className="c-search__buttons">
        <button type="submit" className="c-btn c-btn--primary">
          Search
        </button>
        <button
          type="button"
          className="c-btn c-btn--secondary"
          onClick={() => {
            setF(NO_FILTERS);
            onSearch(NO_FILTERS);
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
}
