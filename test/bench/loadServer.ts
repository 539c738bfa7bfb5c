/**
 * The server under load, in its own process so that its memory is measured alone and the
 * clients do not share its event loop. Started by load.ts over IPC: sends `{ url }` once
 * listening, answers `'rss'` with `{ rss }` and stops on `'stop'`.
 */
import '../../cube/productionEnv.js';
import path from 'node:path';
import { REPO_ROOT } from '../../cube/paths.js';
import { startServer } from '../../cube/server.js';
import { TEST_SECRET } from '../support/apiClient.js';

const warehouse = process.argv[2];
const server = await startServer({ warehouse, apiSecret: TEST_SECRET, port: 0, modelPath: path.join(REPO_ROOT, 'model'), webDist: null, refreshIntervalSeconds: 0 });
process.send!({ url: server.url });
process.on('message', async (message) => {
  if (message === 'rss') process.send!({ rss: process.memoryUsage().rss });
  if (message === 'stop') {
    await server.close();
    process.exit(0);
  }
});
