/** The demo merchant console's entry; the console itself is in ./console/. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Console } from './console/App.tsx';
import '../react/styles.css';
import '../react/payouts/payouts.css';
import './demo.css';
import './console/console.css';
import './console/history.css';

const el = document.getElementById('root');
if (el)
  createRoot(el).render(
    <StrictMode>
      <Console />
    </StrictMode>,
  );
