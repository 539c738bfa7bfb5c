import { describe, expect, it } from 'vitest';
import { startupProgress } from '../../cube/startupProgress.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The lines without their clock: "[1.2 s] Building the web app…" → "Building the web app…". */
const text = (lines: string[]) => lines.map((l) => l.replace(/^\[\d+\.\d s\] /, ''));

describe("npm start's progress (issue 20 item 9)", () => {
  it('prints each step as it starts, reminds while a long one runs, and says how long each took, in order', async () => {
    const lines: string[] = [];
    const progress = startupProgress((l) => lines.push(l), Date.now(), 20);
    // A step that runs until it has been reminded of twice (a web build, in small).
    const twoReminders = async () => {
      while (lines.filter((l) => l.includes('still')).length < 2) await pause(5);
    };
    await progress.step('building the web app', twoReminders);
    const url = await progress.step('starting Cube', async () => 'http://127.0.0.1:1');
    expect(url).toBe('http://127.0.0.1:1');
    expect(text(lines)).toEqual([
      'Building the web app…',
      expect.stringMatching(/^ {2}still building the web app \(\d+\.\d s so far\)…$/),
      expect.stringMatching(/^ {2}still building the web app \(\d+\.\d s so far\)…$/),
      expect.stringMatching(/^Done building the web app in \d+\.\d s\.$/),
      'Starting Cube…',
      expect.stringMatching(/^Done starting Cube in \d+\.\d s\.$/),
    ]);
    for (const line of lines) expect(line).toMatch(/^\[\d+\.\d s\] /);
  });

  it('times a step that another function runs from begin to its end (the CLV fit inside the data-in pipeline)', async () => {
    const lines: string[] = [];
    const progress = startupProgress((l) => lines.push(l), Date.now(), 60_000);
    const generating = progress.begin('generating the demo warehouse');
    generating();
    const fitting = progress.begin('fitting predicted CLV per tenant');
    lines.push('  predicted CLV t01: fitted');
    fitting();
    // Ending twice says nothing more.
    fitting();
    expect(text(lines)).toEqual([
      'Generating the demo warehouse…',
      expect.stringMatching(/^Done generating the demo warehouse in \d+\.\d s\.$/),
      'Fitting predicted CLV per tenant…',
      '  predicted CLV t01: fitted',
      expect.stringMatching(/^Done fitting predicted CLV per tenant in \d+\.\d s\.$/),
    ]);
  });

  it('stops reminding when a step fails, and the failure reaches the caller', async () => {
    const lines: string[] = [];
    const progress = startupProgress((l) => lines.push(l), Date.now(), 20);
    await expect(progress.step('loading Cube', () => Promise.reject(new Error('no such module')))).rejects.toThrow('no such module');
    await pause(60);
    expect(text(lines)).toEqual(['Loading Cube…']);
  });
});
