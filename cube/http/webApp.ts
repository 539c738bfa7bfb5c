import express from 'express';
import path from 'node:path';
import { embedPagePolicy } from './securityHeaders.js';

/** The built web app; with `embedOrigins` (saved charts on), the embed page, which only those portals may frame. */
export function serveWebApp(app: express.Express, webDist: string, embedOrigins: string[] | null): void {
  if (embedOrigins) {
    app.get('/embed/:id', (_req, res) => {
      res.set('Content-Security-Policy', embedPagePolicy(embedOrigins)).sendFile(path.join(webDist, 'embed.html'));
    });
  }
  app.use(express.static(webDist, { index: false, maxAge: '1h' }));
  // Client-side routes all load the same page; API paths never fall through to it.
  app.get(/^\/(?!cubejs-api|api\/|auth|health|embed).*/, (_req, res) => res.sendFile(path.join(webDist, 'index.html')));
}
