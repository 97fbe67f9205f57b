// The baseline for the library's size delta: an empty React app.
import { createRoot } from 'react-dom/client';

createRoot(document.getElementById('root') as HTMLElement).render(<main>Shop</main>);
