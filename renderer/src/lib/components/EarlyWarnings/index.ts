export { default as EarlyWarnings } from './EarlyWarnings.svelte';
