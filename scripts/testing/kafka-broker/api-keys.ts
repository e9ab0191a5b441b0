/**
 * The APIs the test broker speaks and the versions it advertises in ApiVersions
 * (https://kafka.apache.org/protocol#protocol_api_keys). Clients pick the highest version both
 * sides support, so these ranges decide what kafkajs 2.2.4 and librdkafka 2.0 (kcat) send:
 * only non-flexible versions, whose layouts handlers.ts implements.
 * librdkafka uses the v2 record format only if Produce v3 and Fetch v4 are advertised.
 */
export const API = {
  Produce: { key: 0, min: 3, max: 3 },
  Fetch: { key: 1, min: 4, max: 4 },
  ListOffsets: { key: 2, min: 0, max: 2 },
  Metadata: { key: 3, min: 0, max: 5 },
  OffsetCommit: { key: 8, min: 2, max: 2 },
  OffsetFetch: { key: 9, min: 1, max: 3 },
  FindCoordinator: { key: 10, min: 0, max: 1 },
  JoinGroup: { key: 11, min: 0, max: 0 },
  Heartbeat: { key: 12, min: 0, max: 0 },
  LeaveGroup: { key: 13, min: 0, max: 0 },
  SyncGroup: { key: 14, min: 0, max: 0 },
  DescribeGroups: { key: 15, min: 0, max: 0 },
  ListGroups: { key: 16, min: 0, max: 0 },
  ApiVersions: { key: 18, min: 0, max: 2 },
  DescribeAcls: { key: 29, min: 0, max: 1 },
  DescribeConfigs: { key: 32, min: 0, max: 1 },
} as const;

export type ApiName = keyof typeof API;

export const API_NAME_BY_KEY: ReadonlyMap<number, ApiName> = new Map(
  (Object.keys(API) as ApiName[]).map((name) => [API[name].key, name]),
);

/** Error codes used here (https://kafka.apache.org/protocol#protocol_error_codes). */
export const ERR = {
  NONE: 0,
  OFFSET_OUT_OF_RANGE: 1,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  ILLEGAL_GENERATION: 22,
  UNKNOWN_MEMBER_ID: 25,
  CLUSTER_AUTHORIZATION_FAILED: 31,
  UNSUPPORTED_VERSION: 35,
  SECURITY_DISABLED: 54,
} as const;
