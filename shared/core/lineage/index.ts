/** PII lineage: rules that infer edges, propagation of PII along them, cross-border flows. */
export { buildLineageView, defineLineageRule, edgeMask, type LineageRule, type LineageView, type InferredEdge, type LineageEvidence, type EdgeMask } from './rule.js';
export { LINEAGE_RULES, registerLineageRule } from './rules/registry.js';
export { inferLineage, mergeEdges, type InferenceResult } from './infer.js';
export { propagatePii, mergePii, ownPii, PROPAGATING_EDGES, type InheritedPii, type BlockedPropagation, type PropagationResult } from './propagate.js';
export { findCrossBorderFlows, defaultRegionOf, flowSeverity, type CrossBorderFlow, type FlowHop } from './flows.js';
export { jurisdictionOf, EXPORT_LAWS } from './regions.js';
export { connectorConfigs, connectorsIn, transformsOf, type ConnectorConfig } from './connectors.js';
export { diffConnectorRoutes, ROUTE_KEYS, type RouteDiff } from './route-diff.js';
export { piiHolders } from './pii-holders.js';
export { connectorEvidence, connectorProcessUrn, expandProcesses, hasProcessProps, PROCESS_PROPS, withoutProcessProps, type ProcessDescription, type ProcessEvidence, type ProcessNode } from './process.js';
