import type { EgressRule } from '../rule.js';
import { connectorSinks } from './connector-sinks.js';
import { kafkaReplicators } from './mirror-maker.js';
import { workloadEndpoints } from './workload-endpoints.js';
import { replicationJoins } from './replication-joins.js';

/** Every egress rule. Adding one is one file in this folder and one line here. */
export const EGRESS_RULES: EgressRule[] = [
  connectorSinks,
  kafkaReplicators,
  workloadEndpoints,
  replicationJoins,
];
