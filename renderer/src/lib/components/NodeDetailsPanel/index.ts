export { default as NodeDetailsPanel } from './NodeDetailsPanel.svelte';
