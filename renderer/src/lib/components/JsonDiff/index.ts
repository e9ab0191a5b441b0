export { default as JsonDiff } from './JsonDiff.svelte';
