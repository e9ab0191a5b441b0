export { default as FlowPanel } from './FlowPanel.svelte';
