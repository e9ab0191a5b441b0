export { default as GraphSearch } from './GraphSearch.svelte';
