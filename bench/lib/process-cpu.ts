import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU accounting by process, from /proc (Linux): what each part of a run used between two samples.
 * Herald's processes are named by pid; PostgreSQL and Redis are every process of theirs on this
 * machine (backends, WAL writer, checkpointer, …), since Herald's load is what they serve during a
 * benchmark on an otherwise idle machine.
 */

/** CPU milliseconds (user + system, all threads) a process has used; 0 once it is gone. */
export function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** Pids of every process whose command line starts with one of `prefixes`. */
export function pidsOf(prefixes: string[]): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (prefixes.some((prefix) => cmdline.startsWith(prefix))) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Every PostgreSQL and Redis server process on this machine (their backends come and go). */
const postgresPids = () => pidsOf(['postgres', '/usr/lib/postgresql/']);
const redisPids = () => pidsOf(['redis-server', '/usr/bin/redis-server']);

export interface CpuGroups {
  /** Fixed pids by name: `api`, `worker`, `smtp server`, … (a group may hold several processes). */
  [group: string]: () => number[];
}

/** The groups of a Herald run: its processes by pid plus PostgreSQL, Redis and this process. */
export function heraldGroups(processes: Record<string, (number | undefined)[]>): CpuGroups {
  const groups: CpuGroups = {};
  for (const [name, pids] of Object.entries(processes))
    groups[name] = () => pids.filter((pid): pid is number => pid !== undefined);
  groups.postgresql = postgresPids;
  groups.redis = redisPids;
  groups['benchmark client'] = () => [process.pid];
  return groups;
}

export interface CpuSample {
  /** CPU ms by group and pid at the sample. */
  byGroup: Map<string, Map<number, number>>;
}

export function sampleCpu(groups: CpuGroups): CpuSample {
  const byGroup = new Map<string, Map<number, number>>();
  for (const [name, pids] of Object.entries(groups))
    byGroup.set(name, new Map(pids().map((pid) => [pid, cpuMs(pid)])));
  return { byGroup };
}

/**
 * CPU ms each group used between two samples. A process that started in between counts from 0; one
 * that ended in between counts to its last sample (a short-lived PostgreSQL backend may be missed).
 */
export function cpuBetween(before: CpuSample, after: CpuSample): Record<string, number> {
  const used: Record<string, number> = {};
  for (const [name, pids] of after.byGroup) {
    let total = 0;
    for (const [pid, ms] of pids) total += ms - (before.byGroup.get(name)?.get(pid) ?? 0);
    used[name] = total;
  }
  return used;
}

/** CPU ms per message by group, to 3 decimals, and the total of the groups named in `herald`. */
export function perMessage(
  used: Record<string, number>,
  messages: number,
  herald: string[],
): { byProcess: Record<string, number>; heraldMs: number } {
  const byProcess: Record<string, number> = {};
  for (const [name, ms] of Object.entries(used)) byProcess[name] = Math.round((ms / messages) * 1000) / 1000;
  const heraldMs = herald.reduce((sum, name) => sum + (used[name] ?? 0), 0) / messages;
  return { byProcess, heraldMs: Math.round(heraldMs * 1000) / 1000 };
}
