export { default as LineageNode } from './LineageNode.svelte';
