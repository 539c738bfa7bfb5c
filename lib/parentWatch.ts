import { existsSync, readFileSync } from 'node:fs';

/**
 * `npm run seed` runs this process as npm → sh → tsx → node (`npm start` as npm → node). Killing the npm
 * process with SIGTERM reaches `sh`, which dies without passing the signal on: tsx and node
 * keep running, orphaned (a seed went on writing its partial file; a server kept its port).
 * `onLauncherGone` watches that chain of launchers (the tsx, sh and npm processes above this
 * one, up to the npm process) and calls `stop` once any of them is gone. A shell or terminal
 * above npm is not watched: `nohup npm run seed &` keeps running when the terminal closes.
 * Linux only (reads /proc); elsewhere it does nothing.
 */
export function onLauncherGone(stop: () => void, intervalMs = 500): void {
  const launchers = launcherChain();
  if (!launchers.length) return;
  const timer = setInterval(() => {
    if (launchers.some((pid) => !processRuns(pid)) || process.ppid === 1) {
      clearInterval(timer);
      stop();
    }
  }, intervalMs);
  timer.unref();
}

function launcherChain(): number[] {
  const chain: number[] = [];
  let pid = process.ppid;
  for (let depth = 0; depth < 4 && pid > 1; depth++) {
    const stat = `/proc/${pid}/stat`;
    if (!existsSync(stat)) break;
    const command = commandOf(pid);
    const isNpm = /(^|\/)(npm|npm-cli\.js)(\s|$)|npm-cli\.js|\bnpm (run|start|exec)\b/.test(command);
    if (!isNpm && !/\btsx\b/.test(command) && !/^(\/bin\/|\/usr\/bin\/)?(sh|dash|bash) -c /.test(command)) break;
    chain.push(pid);
    if (isNpm) break;
    pid = parentOf(pid);
  }
  return chain;
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '';
  }
}

function parentOf(pid: number): number {
  try {
    // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

/** Whether a process with this id is alive (EPERM: alive, owned by someone else). */
export function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
