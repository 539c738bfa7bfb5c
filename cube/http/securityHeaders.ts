import type { NextFunction, Request, Response } from 'express';

/**
 * Headers on every response. The policy allows only this origin: DuckDB-WASM needs
 * 'wasm-unsafe-eval' and blob: workers; Tremor's charts need inline styles.
 */
const policy = (frameAncestors: string[]) =>
  [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    `frame-ancestors ${["'self'", ...frameAncestors].join(' ')}`,
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');

const CONTENT_SECURITY_POLICY = policy([]);

/** The policy of the embed page: framable by the configured portal origins too. */
export function embedPagePolicy(origins: string[]): string {
  return policy(origins);
}

export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.set({
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  });
  next();
}
