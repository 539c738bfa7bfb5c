import { buildWebAppIfStale } from '../../cube/webBuild.js';

/** Builds the web app once before the test files run, so the servers they start do not each build it. */
export default async function setup(): Promise<void> {
  await buildWebAppIfStale(() => {});
}
