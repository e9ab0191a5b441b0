export { default as SeverityBadge } from './SeverityBadge.svelte';
