export { default as ImpactPanel } from './ImpactPanel.svelte';
