/**
 * What `npm start` is doing, as it does it: each step printed as it starts with the seconds since
 * start, a reminder while a long one runs (the web build takes a minute and a half on two cores),
 * and how long it took. Loading Cube alone takes 10 s, hence the first line before it is imported.
 */
export interface StartupProgress {
  /** Runs one step, named as a gerund phrase ("building the web app"). */
  step<T>(what: string, run: () => Promise<T> | T): Promise<T>;
  /** Starts a step that another function runs (the CLV fit inside the data-in pipeline); call the result when it ends. */
  begin(what: string): () => void;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function startupProgress(log: (line: string) => void = console.log, startedAt = Date.now(), reminderMs = 10_000): StartupProgress {
  const since = (t: number) => seconds(Date.now() - t);
  const begin = (what: string) => {
    const began = Date.now();
    log(`[${since(startedAt)}] ${what[0].toUpperCase()}${what.slice(1)}…`);
    const reminder = setInterval(() => log(`[${since(startedAt)}]   still ${what} (${since(began)} so far)…`), reminderMs);
    // A reminder never keeps the process alive.
    reminder.unref();
    let ended = false;
    return (done = true) => {
      if (ended) return;
      ended = true;
      clearInterval(reminder);
      if (done) log(`[${since(startedAt)}] Done ${what} in ${since(began)}.`);
    };
  };
  return {
    begin: (what) => begin(what),
    async step(what, run) {
      const end = begin(what);
      try {
        const result = await run();
        end();
        return result;
      } finally {
        // A failed step stops reminding and says nothing more: its error does.
        end(false);
      }
    },
  };
}
