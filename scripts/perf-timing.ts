// Timing helpers shared by the scratch measurement scripts (scripts/perf-*.ts). They count process CPU
// time, not wall time: on a shared 2-core machine that removes most of the time spent waiting for a core.

/** The upper median (the middle value of an odd count, the higher of the two middle ones otherwise). */
export function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

/** Milliseconds of process CPU time one call of f takes. */
export function cpuMs(f: () => unknown): number {
  const start = process.cpuUsage();
  f();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** µs of process CPU per call of f, calling it in groups of 100 for at least 200 ms of wall time. */
export function cpuMicrosPerCall(f: () => void): number {
  let calls = 0;
  const wallStart = performance.now();
  const start = process.cpuUsage();
  while (performance.now() - wallStart < 200) {
    for (let k = 0; k < 100; k++) f();
    calls += 100;
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / calls;
}
