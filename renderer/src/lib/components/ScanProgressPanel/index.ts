export { default as ScanProgressPanel } from './ScanProgressPanel.svelte';
