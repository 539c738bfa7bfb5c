import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { EmbeddedChart } from './EmbeddedChart';
import '../styles.css';

const chartId = window.location.pathname.split('/').filter(Boolean)[1] ?? '';
const token = new URLSearchParams(window.location.search).get('token') ?? '';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <EmbeddedChart chartId={chartId} token={token} />
  </StrictMode>,
);
