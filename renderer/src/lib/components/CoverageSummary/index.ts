export { default as CoverageSummary } from './CoverageSummary.svelte';
