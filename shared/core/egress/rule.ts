import type { GraphEdge } from '../model/graph.js';
import { netUrn } from '../model/urn.js';
import type { LineageView } from '../lineage/rule.js';
import { regionOfHost, type RegionAnswer, type RegionMap } from './region-map.js';

/**
 * Egress: every way data leaves the captured sources, as `egress` (a process sends it to an
 * endpoint) and `replicates` (a store copies itself) edges, each with its evidence and the
 * destination's region — or no region, which coverage reports as unknown.
 *
 * Rules are pure functions of an EgressView, one file each under rules/ and one line in
 * rules/registry.ts. They build on the connector configs the lineage rules read
 * (shared/core/lineage/connectors.ts); when connectors become process nodes (`connect://…`), a
 * rule's edges keep `evidence.connector` and `evidence.config`, so they move onto that model.
 */
export interface CapturedSource {
  name: string;
  kind: string;
  region: string;
  /** `host:port` (lower case) this source was captured from: brokers, a database server, an S3 endpoint's host. */
  addresses: string[];
}

export interface EgressView extends LineageView {
  regionMap: RegionMap;
  sources: CapturedSource[];
}

export interface EgressEvidence {
  rule: string;
  detail: string;
  /** The destination host (or `s3/<bucket>`). */
  destination: string;
  region?: string;
  /** How the region is known; absent when it is not. */
  regionFrom?: string;
  /** The configuration object (connector, workload) the edge was read from. */
  config?: string;
  /** The connector that carries the data, when one does. */
  connector?: string;
  /** The consumer group the carrier reads with, which explains that group (coverage). */
  consumerGroup?: string;
  [key: string]: unknown;
}

export interface EgressEdge extends GraphEdge {
  kind: 'egress' | 'replicates';
  evidence: EgressEvidence;
}

/** An endpoint node the analyzer writes for a destination outside the sources. */
export interface EndpointNode {
  urn: string;
  name: string;
  region?: string;
  regionFrom?: string;
}

export interface EgressResult {
  edges: EgressEdge[];
  endpoints: EndpointNode[];
}

export interface EgressRule {
  /** Unique, starts with `egress.`. */
  id: string;
  description: string;
  infer(view: EgressView): EgressResult;
}

export const defineEgressRule = (rule: EgressRule): EgressRule => rule;

/** The captured source reachable at `host[:port]`, if any (data sent there stays inside what was captured). */
export function capturedAt(view: EgressView, host: string, port?: number): CapturedSource | undefined {
  const h = host.toLowerCase();
  return view.sources.find((s) => s.addresses.some((a) => a === `${h}:${port}` || (port === undefined && a.startsWith(`${h}:`)) || a === h));
}

/** The region of an external host: sources.yaml's map, the endpoint's own name, or a captured source there. */
export function regionFor(view: EgressView, host: string, port?: number): RegionAnswer | undefined {
  const mapped = regionOfHost(port ? `${host}:${port}` : host, view.regionMap);
  if (mapped) return mapped;
  const src = capturedAt(view, host, port);
  return src ? { region: src.region, from: `the captured source ${src.name} at ${host}${port ? `:${port}` : ''}` } : undefined;
}

/** An endpoint node and the region fields of an edge's evidence, for `host[:port]`. */
export function endpointFor(view: EgressView, host: string, port?: number): { node: EndpointNode; evidence: Pick<EgressEvidence, 'destination' | 'region' | 'regionFrom'> } {
  const name = port ? `${host}:${port}` : host;
  const r = regionFor(view, host, port);
  return {
    node: { urn: netUrn(name), name, ...(r && { region: r.region, regionFrom: r.from }) },
    evidence: { destination: name, ...(r && { region: r.region, regionFrom: r.from }) },
  };
}
