export { default as SideNav } from './SideNav.svelte';
