// A KRaft cluster of several local broker processes on one machine (no Docker): node i listens on
// basePort + i - 1 (9092, 9093, 9094) and its controller on that + 10000, with its own data directory
// <dir>/node-<i>. Every node is broker and controller (a static quorum of all of them); replication
// factor = the node count, min.insync.replicas = 2, unclean leader election off. Each node can be
// stopped, killed and started on its own, which is what the fault tests do.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brokerLogSince, brokerLogSize, isAlive, LocalBroker, launchLocalBroker, localBrokerStatus, newClusterId, stopLocalBroker } from './local-broker';
import { NodeRole } from './broker-files';
import { KafkaLocalError } from './prerequisites';

export interface LocalClusterOptions {
  nodes?: number;
  basePort?: number;
  dir?: string;
  /** Heap of each node; three nodes at 384 MB fit a laptop beside the services. */
  heapMb?: number;
  log?: (line: string) => void;
  startTimeoutMs?: number;
}

export interface LocalCluster {
  bootstrap: string[];
  nodes: LocalBroker[];
  dir: string;
}

export const DEFAULT_CLUSTER_DIR = join('.local', 'kafka-cluster');
const DEFAULT_HEAP_MB = 384;

interface ClusterFile {
  clusterId: string;
  nodes: number;
  basePort: number;
}

export async function startLocalCluster(options: LocalClusterOptions = {}): Promise<LocalCluster> {
  const dir = resolve(options.dir ?? DEFAULT_CLUSTER_DIR);
  const settings = clusterSettings(dir, options);
  const launched = await Promise.all(
    nodeIds(settings.nodes).map((nodeId) => launchLocalBroker(nodeOptions(dir, settings, nodeId, options))),
  );
  const nodes = await Promise.all(
    launched.map(async (node) => {
      if ('alreadyRunning' in node) return node;
      await node.ready;
      return node.broker;
    }),
  );
  return { bootstrap: nodes.map((node) => node.bootstrap), nodes, dir };
}

/** Starts one node of an existing cluster again (after a stop or a kill), waiting until it accepts clients. */
export async function startClusterNode(nodeId: number, options: LocalClusterOptions = {}): Promise<LocalBroker> {
  const dir = resolve(options.dir ?? DEFAULT_CLUSTER_DIR);
  const settings = readClusterFile(dir);
  if (!settings) throw new KafkaLocalError(`no cluster in ${dir}; start it with npm run kafka:start -- --brokers 3`);
  const node = await launchLocalBroker(nodeOptions(dir, settings, nodeId, options));
  if ('alreadyRunning' in node) return node;
  await node.ready;
  return node.broker;
}

/** Stops one node: SIGTERM for a clean shutdown (leadership moves first), SIGKILL for a crash. */
export function stopClusterNode(nodeId: number, options: { dir?: string; signal?: 'SIGTERM' | 'SIGKILL' } = {}): Promise<number | undefined> {
  return stopLocalBroker({ dir: nodeDir(resolve(options.dir ?? DEFAULT_CLUSTER_DIR), nodeId), signal: options.signal });
}

/**
 * Stops every node of the cluster (SIGTERM, clean shutdown), all at once: one by one, the last ones
 * would wait for a quorum that has already gone.
 *
 * Even at once, a node that lags (a busy machine) may still be waiting for the controllers to approve
 * its controlled shutdown when the others have exited; with the quorum gone that approval never comes,
 * and Kafka would wait five minutes. Such a node is killed instead: nothing acknowledged is lost (the
 * page cache outlives the process), and its logs are checked on its next start. The quorum can also be
 * gone while a majority is still alive, when one of the living nodes is stalled (a frozen process, a
 * machine out of cores): so a node not approved APPROVAL_GRACE_MS after another node has exited is
 * killed too.
 */
export async function stopLocalCluster(options: { dir?: string; log?: (line: string) => void } = {}): Promise<number[]> {
  const dir = resolve(options.dir ?? DEFAULT_CLUSTER_DIR);
  const settings = readClusterFile(dir);
  if (!settings) return [];
  const nodes = nodeIds(settings.nodes).map((nodeId) => {
    const nodeDirectory = nodeDir(dir, nodeId);
    return { nodeId, dir: nodeDirectory, pid: localBrokerStatus({ dir: nodeDirectory }).pid, logOffset: brokerLogSize(nodeDirectory) };
  });
  const majority = Math.floor(settings.nodes / 2) + 1;
  const alive = () => nodes.filter((node) => node.pid !== undefined && isAlive(node.pid)).length;
  let firstExitSeenAt: number | undefined;
  /** Why the node cannot be approved any more, if it cannot (checked every 100 ms while it runs). */
  const approvalLost = (node: (typeof nodes)[number]): string | undefined => {
    const running = alive();
    if (running < nodes.length) firstExitSeenAt ??= Date.now();
    const waited = firstExitSeenAt === undefined ? 0 : Date.now() - firstExitSeenAt;
    const why =
      running < majority
        ? 'when the quorum had gone'
        : waited > APPROVAL_GRACE_MS
          ? `${Math.round(waited / 1000)} s after another node had exited (the voters left did not answer)`
          : undefined;
    if (why === undefined || brokerLogSince(node.dir, node.logOffset).includes(CONTROLLED_SHUTDOWN_APPROVED)) return undefined;
    return `node ${node.nodeId} was still waiting for its controlled shutdown to be approved ${why}`;
  };
  const pids = await Promise.all(
    nodes.map((node) => stopLocalBroker({ dir: node.dir, log: options.log, cannotFinish: () => approvalLost(node) })),
  );
  return pids.filter((pid): pid is number => pid !== undefined);
}

/**
 * How long a node may still wait for its approval once another node has exited. Approvals of nodes
 * stopped together come within a second or two of each other, even on a busy machine.
 */
const APPROVAL_GRACE_MS = 5_000;

/** What a broker logs (BrokerLifecycleManager) once the controllers have let it finish shutting down. */
const CONTROLLED_SHUTDOWN_APPROVED = 'The controller has asked us to exit controlled shutdown';

export function localClusterStatus(options: { dir?: string } = {}): { dir: string; nodes: { nodeId: number; port: number; pid?: number }[] } {
  const dir = resolve(options.dir ?? DEFAULT_CLUSTER_DIR);
  const settings = readClusterFile(dir);
  if (!settings) return { dir, nodes: [] };
  return {
    dir,
    nodes: nodeIds(settings.nodes).map((nodeId) => ({ nodeId, port: settings.basePort + nodeId - 1, pid: localBrokerStatus({ dir: nodeDir(dir, nodeId) }).pid })),
  };
}

function clusterSettings(dir: string, options: LocalClusterOptions): ClusterFile {
  const existing = readClusterFile(dir);
  const nodes = options.nodes ?? existing?.nodes ?? 3;
  const basePort = options.basePort ?? existing?.basePort ?? 9092;
  if (!Number.isInteger(nodes) || nodes < 3 || nodes > 9) throw new KafkaLocalError(`a local cluster has 3 to 9 brokers (min.insync.replicas is 2), got ${nodes}`);
  if (existing && (existing.nodes !== nodes || existing.basePort !== basePort)) {
    throw new KafkaLocalError(
      `${dir} holds a ${existing.nodes}-broker cluster on port ${existing.basePort}; start it with those settings, or delete the folder to make a new one`,
    );
  }
  const settings = existing ?? { clusterId: newClusterId(), nodes, basePort };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cluster.json'), `${JSON.stringify(settings, null, 2)}\n`);
  return settings;
}

function readClusterFile(dir: string): ClusterFile | undefined {
  const file = join(dir, 'cluster.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ClusterFile) : undefined;
}

function nodeOptions(dir: string, settings: ClusterFile, nodeId: number, options: LocalClusterOptions) {
  const role: NodeRole = {
    nodeId,
    voters: nodeIds(settings.nodes)
      .map((id) => `${id}@localhost:${settings.basePort + id - 1 + 10000}`)
      .join(','),
    replicationFactor: Math.min(3, settings.nodes),
    minInSyncReplicas: 2,
  };
  return {
    port: settings.basePort + nodeId - 1,
    dir: nodeDir(dir, nodeId),
    heapMb: options.heapMb ?? DEFAULT_HEAP_MB,
    log: options.log,
    startTimeoutMs: options.startTimeoutMs,
    role,
    clusterId: settings.clusterId,
  };
}

function nodeIds(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index + 1);
}

function nodeDir(dir: string, nodeId: number): string {
  return join(dir, `node-${nodeId}`);
}
