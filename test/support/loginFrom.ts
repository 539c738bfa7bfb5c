import http from 'node:http';

export interface LoginAnswer {
  status: number;
  body: any;
  retryAfter?: string;
}

/**
 * POST /auth/login from a given loopback address: the client socket is bound to it, and Linux
 * routes all of 127.0.0.0/8 to this machine, so the server sees a different remote address per
 * caller (it trusts no X-Forwarded-For).
 */
export function loginFrom(serverUrl: string, username: string, password: string, fromAddress: string): Promise<LoginAnswer> {
  const { port } = new URL(serverUrl);
  const payload = JSON.stringify({ username, password });
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/auth/login',
        method: 'POST',
        localAddress: fromAddress,
        agent: false,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text), retryAfter: res.headers['retry-after'] as string | undefined }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
