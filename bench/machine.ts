import os from 'node:os';

/** The 1, 5 and 15-minute load averages (`1.02 / 0.87 / 1.40`), printed next to every number. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map(l => l.toFixed(2))
    .join(' / ');
}

/**
 * `machine: 2 CPU (AMD EPYC …), Node v24.21.0, load average 1.02 / 0.87 / 1.40 (1/5/15 min)`:
 * how every bench's report begins.
 */
export function machineLine(): string {
  return `machine: ${os.cpus().length} CPU (${os.cpus()[0]?.model}), Node ${
    process.version
  }, load average ${loadAverage()} (1/5/15 min)`;
}

/**
 * CPU of this thread alone in ms (Node ≥ 23.9; before, of the whole process): the machine is
 * shared, and wall time alone moves with the load.
 */
export function threadCpuMs(): number {
  const usage =
    (
      process as { threadCpuUsage?: () => NodeJS.CpuUsage }
    ).threadCpuUsage?.() ?? process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}
