export { default as StatusMessage } from './StatusMessage.svelte';
