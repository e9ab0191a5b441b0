export { default as AppHeader } from './AppHeader.svelte';
