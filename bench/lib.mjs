// Shared by the benchmarks: run a command several times, take medians, describe the machine.
import { spawnSync } from 'node:child_process';
import os from 'node:os';

import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const BIN = path.join(ROOT, 'bin/campfire.js');

/** Wall time in ms of each of `runs` runs (after one warm-up unless told not to), failing loudly if the command fails. */
export function time(cmd, args, { runs = 7, env, okCodes = [0], input, warmup = true, cwd } = {}) {
  const once = () => {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: 'utf8', input, maxBuffer: 1 << 28, cwd });
    const ms = performance.now() - t0;
    if (!okCodes.includes(r.status)) {
      throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${(r.stderr || '').slice(0, 500)}`);
    }
    return ms;
  };
  if (warmup) once();
  return Array.from({ length: runs }, once);
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const fmt = (ms) => `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
export const ratio = (a, b) => `${(a / b).toFixed(2)}×`;

export function machine() {
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.versions.node}`;
}


/** A goal line: "met" or "missed by X". */
export function goal(actual, limit, what) {
  return actual <= limit ? `✓ ${what}: ${actual.toFixed(2)}× ≤ ${limit}×` : `✗ ${what}: ${actual.toFixed(2)}× > ${limit}× (missed by ${((actual / limit - 1) * 100).toFixed(0)}%)`;
}
