export { default as ReadOnlyBanner } from './ReadOnlyBanner.svelte';
