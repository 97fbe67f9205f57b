// From the Adyen anchor (shared/research/adyen-anchor.md, section 6), verbatim.
// Control: Preact 10, 4-item radio list (same markup as the React control)
import { render } from 'preact';
import { useState } from 'preact/hooks';
import { ITEMS } from './control-list.js';
performance.mark('bundle:evaluated');
function List() {
  const [sel, setSel] = useState(ITEMS[0].id);
  return (
    <fieldset>
      <legend>Pay with</legend>
      {ITEMS.map((it) => (
        <label key={it.id} style={{ display: 'block', padding: '8px' }}>
          <input
            type="radio"
            name="pm"
            value={it.id}
            checked={sel === it.id}
            onChange={() => setSel(it.id)}
          />{' '}
          {it.label}
        </label>
      ))}
    </fieldset>
  );
}
render(<List />, document.getElementById('root'));
performance.mark('widget:mount-called');
