import type { GraphNode } from '../model/graph.js';
import type { LineageView } from './rule.js';

/**
 * Lookups every rule needs (topic by name, table by db.table, bucket by name, children of a
 * dataset), built once per view: rules run over 100k+ nodes and must not scan the list per item.
 */
export interface ViewIndex {
  topicsByName: Map<string, GraphNode[]>;
  /** Key `db.table`, lower-cased: MySQL table names are case-insensitive on most installs. */
  tablesByName: Map<string, GraphNode[]>;
  databasesByName: Map<string, GraphNode[]>;
  bucketsByName: Map<string, GraphNode[]>;
  /** Columns/fields/tables/prefixes by their parent URN. */
  childrenOf: Map<string, GraphNode[]>;
  /** A dataset's field (or column) by its path, for field-level matching. */
  fieldOf(datasetUrn: string, path: string): GraphNode | undefined;
}

const cache = new WeakMap<LineageView, ViewIndex>();

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function indexView(view: LineageView): ViewIndex {
  const cached = cache.get(view);
  if (cached) return cached;
  const topicsByName = new Map<string, GraphNode[]>();
  const tablesByName = new Map<string, GraphNode[]>();
  const databasesByName = new Map<string, GraphNode[]>();
  const bucketsByName = new Map<string, GraphNode[]>();
  const childrenOf = new Map<string, GraphNode[]>();
  const fields = new Map<string, Map<string, GraphNode>>();
  for (const node of view.nodes) {
    if (node.parent) push(childrenOf, node.parent, node);
    switch (node.kind) {
      case 'topic': push(topicsByName, node.name, node); break;
      case 'database': push(databasesByName, node.name.toLowerCase(), node); break;
      case 'bucket': push(bucketsByName, node.name, node); break;
      case 'table': {
        const db = node.parent ? view.byUrn.get(node.parent)?.name ?? lastSegment(node.parent) : undefined;
        if (db) push(tablesByName, `${db}.${node.name}`.toLowerCase(), node);
        break;
      }
      case 'column':
      case 'field': {
        const hash = node.urn.indexOf('#');
        if (hash === -1) break;
        const dataset = node.urn.slice(0, hash);
        let byPath = fields.get(dataset);
        if (!byPath) fields.set(dataset, (byPath = new Map()));
        byPath.set(fieldPath(node), node);
        break;
      }
    }
  }
  const index: ViewIndex = {
    topicsByName, tablesByName, databasesByName, bucketsByName, childrenOf,
    fieldOf: (dataset, path) => fields.get(dataset)?.get(path),
  };
  cache.set(view, index);
  return index;
}

/**
 * Gives `view` a ready index instead of one built from its nodes: a view whose nodes are only the
 * ones analyzers visit, with fields looked up in the workspace (shared/node/services/analyzers/
 * lineage-view.ts), or a copy of a view with other configs (an index depends on the nodes only).
 */
export function presetIndex<V extends LineageView>(view: V, index: ViewIndex): V {
  cache.set(view, index);
  return view;
}

/** The path of a field/column inside its dataset: the decoded part after '#'. */
export function fieldPath(node: GraphNode): string {
  const path = (node.props as { path?: unknown }).path;
  if (typeof path === 'string') return path;
  const hash = node.urn.indexOf('#');
  return hash === -1 ? node.name : safeDecode(node.urn.slice(hash + 1));
}

/** Fields/columns directly under a dataset. */
export function fieldsOf(index: ViewIndex, datasetUrn: string): GraphNode[] {
  return (index.childrenOf.get(datasetUrn) ?? []).filter((n) => n.kind === 'field' || n.kind === 'column');
}

function lastSegment(urn: string): string {
  return safeDecode(urn.slice(urn.lastIndexOf('/') + 1));
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
