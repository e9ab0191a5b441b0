export { default as LineageCanvas } from './LineageCanvas.svelte';
