import { parentPort, workerData } from 'node:worker_threads';
import { scanRange, type RangeTask } from './ranges.js';

/**
 * A worker thread of the parallel log scan (parallel.ts): claims ranges from the shared counter until
 * none is left, scans each and posts its result. It shares nothing else with the main thread.
 */
export interface WorkerInput {
  file: string;
  name: string;
  since?: number;
  bounds: number[];
  /** Int32Array over a SharedArrayBuffer: index 0 is the next range to claim. */
  next: Int32Array;
  chunk: number;
}

export interface WorkerMessage {
  index: number;
  result: ReturnType<typeof scanRange>;
}

const input = workerData as WorkerInput;
const buffer = Buffer.allocUnsafe(input.chunk);
const count = input.bounds.length - 1;
for (;;) {
  const index = Atomics.add(input.next, 0, 1);
  if (index >= count) break;
  const task: RangeTask = { file: input.file, name: input.name, since: input.since, start: input.bounds[index]!, end: input.bounds[index + 1]! };
  parentPort!.postMessage({ index, result: scanRange(task, index === 0, buffer) } satisfies WorkerMessage);
}
