export { default as GroupNode } from './GroupNode.svelte';
export { default as FrameNode } from './FrameNode.svelte';
export { default as CardNode } from './CardNode.svelte';
export { default as ProcessNode } from './ProcessNode.svelte';
export { default as ObjectNode } from './ObjectNode.svelte';
export { default as LabelNode } from './LabelNode.svelte';
export { default as RouteEdge } from './RouteEdge.svelte';
export { provideLineageActions, lineageActions, type LineageActions } from './actions';
