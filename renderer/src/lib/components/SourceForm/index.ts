export { default as SourceForm } from './SourceForm.svelte';
