export { default as SnapshotCompare } from './SnapshotCompare.svelte';
