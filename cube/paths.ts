// The root is found once, in lib/ (below both seeds/ and cube/, which both need it); the server's
// modules and tests keep importing it from here.
export { REPO_ROOT } from '../lib/paths.js';
